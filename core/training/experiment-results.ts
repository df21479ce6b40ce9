import { DatasetFileError } from '../util/file-error.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';
import { FINETUNE_INPUTS, type FinetuneInput } from './finetune-config.js';
import { readJsonFile } from '../util/json-file.js';

/**
 * results.json of an experiment: the settings it was started with, the pretrain and finetune runs
 * it made (so a second call resumes or reuses them) and one entry per evaluated cell.
 */

/** The research's table rows, in its order. */
export const EXPERIMENT_ROWS = ['supervised', 'sensor-pairs', 'all-fusion', 'partial-fusion', 'optional-fusion'] as const;
export type ExperimentRow = (typeof EXPERIMENT_ROWS)[number];

/** One evaluated table cell; run directories are relative to the experiment's folder. */
export interface ExperimentCell {
  row: ExperimentRow;
  input: FinetuneInput;
  jaccard_samples: number;
  f1_micro: number;
  f1_macro: number;
  map_macro: number;
  /** Test patches scored. */
  n: number;
  pretrain_run: string | null;
  finetune_run: string;
}

/** A run the experiment started; `cancelled` ones are resumed by the next call. */
export interface RunEntry {
  run: string;
  status: 'completed' | 'cancelled';
}

/** What every cell shares; a second call must bring the same. */
export interface ExperimentSettings {
  catalog: string;
  seed: number;
  /** Resolved pretrain config without the fields each row sets (catalog, strategy, inputBlocks). */
  pretrain: Record<string, unknown>;
  /** Resolved finetune config without the fields each cell sets (catalog, input, variant, pretrained). */
  finetune: Record<string, unknown>;
}

export interface ExperimentResults {
  format: typeof RESULTS_FORMAT;
  version: 1;
  settings: ExperimentSettings;
  /** By row. */
  pretrains: Partial<Record<ExperimentRow, RunEntry>>;
  /** By `cellKey(row, input)`. */
  finetunes: Record<string, RunEntry>;
  cells: ExperimentCell[];
}

export const RESULTS_FORMAT = 'sen12ms-studio.experiment-results';

export function cellKey(row: ExperimentRow, input: FinetuneInput): string {
  return `${row}/${input}`;
}

export function emptyResults(settings: ExperimentSettings): ExperimentResults {
  return { format: RESULTS_FORMAT, version: 1, settings, pretrains: {}, finetunes: {}, cells: [] };
}

const runEntry: JsonSchema = {
  type: 'object',
  required: ['run', 'status'],
  additionalProperties: false,
  properties: { run: { type: 'string', minLength: 1 }, status: { type: 'string', enum: ['completed', 'cancelled'] } },
};
const score: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const cellKeys = EXPERIMENT_ROWS.flatMap((row) => FINETUNE_INPUTS.map((input) => cellKey(row, input)));

const RESULTS_SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'settings', 'pretrains', 'finetunes', 'cells'],
  additionalProperties: false,
  properties: {
    format: { const: RESULTS_FORMAT },
    version: { const: 1 },
    settings: {
      type: 'object',
      required: ['catalog', 'seed', 'pretrain', 'finetune'],
      additionalProperties: false,
      properties: { catalog: { type: 'string' }, seed: { type: 'integer' }, pretrain: { type: 'object' }, finetune: { type: 'object' } },
    },
    pretrains: { type: 'object', additionalProperties: false, properties: Object.fromEntries(EXPERIMENT_ROWS.map((r) => [r, runEntry])) },
    finetunes: { type: 'object', additionalProperties: false, properties: Object.fromEntries(cellKeys.map((k) => [k, runEntry])) },
    cells: {
      type: 'array',
      items: {
        type: 'object',
        required: ['row', 'input', 'jaccard_samples', 'f1_micro', 'f1_macro', 'map_macro', 'n', 'pretrain_run', 'finetune_run'],
        additionalProperties: false,
        properties: {
          row: { type: 'string', enum: EXPERIMENT_ROWS },
          input: { type: 'string', enum: FINETUNE_INPUTS },
          jaccard_samples: score,
          f1_micro: score,
          f1_macro: score,
          map_macro: score,
          n: { type: 'integer', minimum: 1 },
          pretrain_run: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] },
          finetune_run: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/**
 * The results a previous call left in `path`, or null when there are none. Refuses a file made
 * with other settings, naming the fields that differ, rather than mixing two experiments in one
 * table.
 */
export async function readResults(path: string, settings: ExperimentSettings): Promise<ExperimentResults | null> {
  const parsed = await readJsonFile(path);
  if (parsed === null) return null;
  const errors = schemaErrors(RESULTS_SCHEMA, parsed);
  if (errors.length > 0) throw new DatasetFileError(path, `not experiment results: ${errors.join('; ')}`);
  const results = parsed as ExperimentResults;
  const seen = new Set<string>();
  for (const cell of results.cells) {
    const key = cellKey(cell.row, cell.input);
    if (seen.has(key)) throw new DatasetFileError(path, `cells: ${key} appears twice`);
    seen.add(key);
  }
  const changed = differingFields(results.settings, JSON.parse(JSON.stringify(settings)));
  if (changed.length > 0) {
    const shown = changed.map((f) => `${f} was ${show(valueAt(results.settings, f))}, now ${show(valueAt(settings, f))}`);
    throw new DatasetFileError(path, `made with other settings (${shown.join('; ')}); use another output folder to run these settings`);
  }
  return results;
}

export async function writeResults(path: string, results: ExperimentResults): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(results, null, 2) + '\n');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Dotted paths of the leaves that differ between two JSON values. */
function differingFields(a: unknown, b: unknown, path = ''): string[] {
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingFields(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '(root)'];
}

function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), value);
}

function show(v: unknown): string {
  return v === undefined ? 'unset' : JSON.stringify(v);
}
