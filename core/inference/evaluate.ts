import { readRegionsFile } from '../metrics/regions-file.js';
import { multiLabelReportsByGroup, singleLabelReportsByGroup, type Grouping, type PatchPlace } from '../metrics/regions.js';
import type { ClassificationReport, GroupReport, MultiLabelReport, SingleLabelReport } from '../common/metrics/report-types.js';
import { parseCheckpointSelector, type CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { loadPatchItems, type PatchItem } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';
import { TensorSource } from '../sampler/tensor-source.js';
import { multiHotTargets, singleTargets } from '../sampler/targets.js';
import { classificationReport, classNames, rows } from './class-report.js';
import { type ClassifierSpec, MULTI_LABEL_THRESHOLD } from '../common/training/finetune-config.js';
import { finetuneSelection } from '../sampler/finetune-selection.js';
import { predictedClasses, scoreBatches } from './predict.js';
import { PredictionsCsv } from './predictions-csv.js';
import { loadTrainedClassifier, type TrainedClassifier } from '../weights/trained-classifier.js';
import { type EvaluationSplit, type EvaluationGrouping, type EvaluationResult, EVALUATION_SPLITS } from '../common/inference/evaluation.js';

export interface EvaluateOptions {
  /** A finetune run directory or an exported model directory. */
  model: string;
  /**
   * Which checkpoint of a finetune run; default its best by validation. An exported model holds
   * one set of weights, so giving any selector for one is refused.
   */
  checkpoint?: CheckpointSelector;
  catalog: string;
  /** Default: the official test split. */
  split?: EvaluationSplit;
  by?: EvaluationGrouping;
  /** Where to write one CSV row per patch. */
  predictions?: string;
  batchSize?: number;
  /** Patch side; default: the side the model was trained at. */
  size?: number;
  /** Patches scored so far. */
  onProgress?(done: number, total: number): void;
}


/**
 * Scores every patch of a split with a finetuned classifier and reports the metrics of
 * core/metrics (overall and per scene, season or GeoJSON region), optionally writing the
 * per-patch predictions as CSV. For a run directory, train and val are that run's own selection
 * (validation scenes by its seed, or its list); for an exported model they use seed 0.
 */
export async function evaluate(opts: EvaluateOptions): Promise<EvaluationResult> {
  const split = opts.split ?? 'test';
  if (!EVALUATION_SPLITS.includes(split)) throw new Error(`split must be one of ${EVALUATION_SPLITS.join(', ')}, got "${split}"`);
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  if (opts.size !== undefined && !(Number.isInteger(opts.size) && opts.size >= 8 && opts.size <= 256)) {
    throw new Error(`size must be an integer in 8..256, got ${opts.size}`);
  }
  if (opts.checkpoint !== undefined) parseCheckpointSelector(opts.checkpoint);
  const grouping = opts.by === undefined ? undefined : await groupingOf(opts.by);

  const model = await loadTrainedClassifier(opts.model, opts.checkpoint);
  try {
    const items = await evaluationItems(model, opts.catalog, split);
    if (items.length === 0) throw new Error(`no patches in split "${split}" of ${opts.catalog} for a ${model.spec.input} model`);
    const { spec } = model;
    const scores = new Float32Array(items.length * spec.classes);
    const csv = opts.predictions ? await PredictionsCsv.create(opts.predictions, spec.classes) : null;
    const source = new TensorSource({ size: opts.size ?? model.size });
    try {
      let at = 0;
      for await (const batch of scoreBatches(model.encoder, spec, source, items, batchSize)) {
        scores.set(batch.scores, at * spec.classes);
        if (csv) {
          const scoreRows = rows(batch.scores, spec.classes);
          for (let i = 0; i < batch.items.length; i++) {
            await csv.write({
              id: batch.items[i].id,
              trueLabels: trueLabels(batch.items[i], spec),
              scores: scoreRows[i],
              predicted: predictedClasses(scoreRows[i], spec.scheme).map((k) => k + 1),
            });
          }
        }
        at += batch.items.length;
        opts.onProgress?.(at, items.length);
      }
      await csv?.commit();
    } catch (err) {
      await csv?.abort();
      throw err;
    } finally {
      await source.close();
    }
    return {
      model: opts.model,
      source: model.source,
      checkpoint: model.checkpoint,
      split,
      spec,
      overall: classificationReport(spec, items, scores),
      ...(grouping ? { groups: groupReports(spec, items, scores, grouping) } : {}),
      ...(opts.predictions ? { predictions: opts.predictions } : {}),
    };
  } finally {
    model.encoder.dispose();
  }
}

async function groupingOf(by: EvaluationGrouping): Promise<Grouping> {
  if (by === 'scene' || by === 'season') return { by };
  if (typeof by === 'object' && by !== null && typeof by.regions === 'string') return { by: 'region', regions: await readRegionsFile(by.regions) };
  throw new Error(`by must be "scene", "season" or { regions: <GeoJSON file> }, got ${JSON.stringify(by)}`);
}

async function evaluationItems(model: TrainedClassifier, catalog: string, split: EvaluationSplit): Promise<PatchItem[]> {
  const items = loadPatchItems(catalog);
  if (model.config && (split === 'train' || split === 'val')) return finetuneSelection(items, { ...model.config, catalog }, split);
  return selectPatches(items, { split, requireS1: model.spec.input !== 's2', seed: model.config?.seed ?? 0 });
}

/** 1-based classes of a patch in the model's scheme. */
function trueLabels(item: PatchItem, spec: ClassifierSpec): number[] {
  if (spec.classes === 10) return spec.scheme === 'multi' ? item.labels : [item.label];
  return spec.scheme === 'multi' ? item.labelsIgbp : [item.labelIgbp];
}

function place(item: PatchItem): PatchPlace {
  return { id: item.id, scene: item.sceneKey, season: item.season, centroid: item.centroid };
}

function groupReports(spec: ClassifierSpec, items: PatchItem[], scores: Float32Array, grouping: Grouping): GroupReport<ClassificationReport>[] {
  const names = classNames(spec.classes);
  const scoreRows = rows(scores, spec.classes);
  if (spec.scheme === 'multi') {
    const truth = rows(multiHotTargets(items, spec.classes), spec.classes);
    const records = items.map((it, i) => ({ ...place(it), yTrue: truth[i], scores: scoreRows[i] }));
    return multiLabelReportsByGroup(records, grouping, MULTI_LABEL_THRESHOLD, names) as GroupReport<MultiLabelReport>[];
  }
  const truth = singleTargets(items, spec.classes);
  const records = items.map((it, i) => ({ ...place(it), yTrue: truth[i], yPred: predictedClasses(scoreRows[i], 'single')[0] }));
  return singleLabelReportsByGroup(records, grouping, names) as GroupReport<SingleLabelReport>[];
}
