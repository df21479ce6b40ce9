/**
 * The JSON Schema of each method's params, checked before a call reaches the service. Nested
 * documents with their own validator (a catalog query, an annotation change, job options) are
 * only required to be objects here; the service runs their validator, which names the field.
 */
import type { JsonSchema } from '../util/json-schema.js';
import { CATALOG_QUERY_SCHEMA } from '../catalog/query-spec.js';
import type { Method } from './contract.js';
import { RUN_NAME_MAX, RUN_NOTES_MAX } from '../jobs/run-names.js';

const none: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };
/** Identifiers and names are bounded; paths as far as file systems allow. */
const ID_MAX = 200;
const PATH_MAX = 4096;
/** The text of an imported GeoJSON region file. */
export const REGIONS_TEXT_MAX = 1_000_000;
const datasetId: JsonSchema = { type: 'string', minLength: 1, maxLength: ID_MAX, description: 'data set id from datasets.open or datasets.list' };
const jobId: JsonSchema = { type: 'string', minLength: 1, maxLength: ID_MAX, description: 'job id' };
const patchId: JsonSchema = { type: 'string', minLength: 1, maxLength: ID_MAX, description: 'patch id, e.g. "ROIs1158_spring_124_p100"' };
const annotationFilter: JsonSchema = { type: 'string', enum: ['annotated', 'unannotated', 'noisy'] };

function object(properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required };
}

const onDataset = object({ dataset: datasetId });
const onJob = object({ id: jobId });

export const METHOD_SCHEMAS: Readonly<Record<Method, JsonSchema>> = {
  'app.info': none,
  'datasets.open': object({ dir: { type: 'string', minLength: 1, maxLength: PATH_MAX, description: 'absolute folder of a SEN12MS data set' } }),
  'datasets.openSample': none,
  'datasets.index': onDataset,
  'datasets.list': none,
  'catalog.query': object({ dataset: datasetId, query: { type: 'object' }, annotation: annotationFilter }, ['dataset', 'query']),
  'catalog.classCounts': object({ dataset: datasetId, query: { type: 'object' }, annotation: annotationFilter }, ['dataset', 'query']),
  'catalog.problems': object({ dataset: datasetId, page: CATALOG_QUERY_SCHEMA.properties.page }, ['dataset']),
  'patch.get': object({ dataset: datasetId, id: patchId }),
  'patch.bands': object({ dataset: datasetId, id: patchId, sensor: { type: 'string', enum: ['s1', 's2', 'lc'] } }),
  'patch.preview': object(
    {
      dataset: datasetId,
      id: patchId,
      composite: { type: 'string', minLength: 1, maxLength: ID_MAX, description: "a named composite, 'band:<band>' or 'rgb:<r>,<g>,<b>' of S2 bands" },
      low: { type: 'number', minimum: 0, maximum: 100, description: 'lower percentile' },
      high: { type: 'number', minimum: 0, maximum: 100, description: 'upper percentile' },
      gamma: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
    },
    ['dataset', 'id', 'composite'],
  ),
  'annotations.get': onDataset,
  'annotations.apply': object({ dataset: datasetId, change: { type: 'object' } }),
  'annotations.undo': onDataset,
  'annotations.redo': onDataset,
  'annotations.exportGeojson': onDataset,
  'annotations.importRegions': object({
    dataset: datasetId,
    name: { type: 'string', minLength: 1, maxLength: ID_MAX, description: 'the GeoJSON file name, for messages' },
    // a message is at most 1 MiB; this bounds the text before it is parsed
    text: { type: 'string', minLength: 1, maxLength: REGIONS_TEXT_MAX, description: 'the GeoJSON FeatureCollection text' },
  }),
  'jobs.start': object({
    dataset: datasetId,
    kind: { type: 'string', enum: ['pretrain', 'finetune', 'evaluate', 'export'] },
    options: { type: 'object' },
  }),
  'jobs.estimate': object({ dataset: datasetId, kind: { type: 'string', enum: ['pretrain', 'finetune'] }, options: { type: 'object' } }),
  'jobs.cancel': onJob,
  'jobs.resume': onJob,
  'jobs.list': none,
  'jobs.log': object({ id: jobId, tail: { type: 'integer', minimum: 1, maximum: 100_000 } }, ['id']),
  'runs.checkpoints': object({ run: { type: 'string', minLength: 1, maxLength: PATH_MAX, description: 'run directory, or the id of a completed pretrain or finetune job' } }),
  'runs.metrics': object({ run: { type: 'string', minLength: 1, maxLength: PATH_MAX, description: 'run directory, or the id of a pretrain or finetune job' } }),
  'runs.labels': none,
  'runs.setLabel': object(
    {
      job: jobId,
      name: { type: 'string', maxLength: RUN_NAME_MAX, description: 'the run\'s name; blank for the default' },
      notes: { type: 'string', maxLength: RUN_NOTES_MAX },
    },
    ['job', 'name'],
  ),
  'results.list': object({ dataset: datasetId }, []),
  'results.get': object({ job: jobId }),
  'results.predictions': object({ job: jobId }),
  'settings.get': none,
  'settings.set': object({ key: { type: 'string', minLength: 1, maxLength: ID_MAX }, value: {} }),
};
