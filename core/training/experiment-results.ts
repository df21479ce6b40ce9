import { DatasetFileError } from '../common/util/file-error.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { schemaErrors, type JsonSchema } from '../common/util/json-schema.js';
import { readJsonFile } from '../util/json-file.js';
import type { CheckpointRef, CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { AUG_PRESETS, type AugPreset } from '../common/training/augment-presets.js';
import { AUG_SETS, EXPERIMENT_ROWS, type AugSet, type ExperimentRow } from '../common/training/research-table.js';
import type { SubsetSpec } from '../common/sampler/selection-spec.js';
import { FINETUNE_INPUTS, type FinetuneInput } from '../common/training/finetune-config.js';

/**
 * results.json of an experiment: the settings it was started with, the pretrain and finetune runs
 * it made (so a second call resumes or reuses them) and one entry per evaluated table cell.
 */

/** The pretrain checkpoint a MoCo row's finetunes started from (its run is the pretrain's). */
export type PretrainCheckpoint = Omit<CheckpointRef, 'run'>;

/** One finetune of a cell's learning-rate sweep and its best validation micro-F1. */
export interface SweepEntry {
  lr: number;
  run: string;
  /** The finetune's best validation micro-F1 (the score its `best` checkpoint is chosen by) and its step. */
  validation: number;
  step: number;
}

/** One evaluated table cell; run directories are relative to the experiment's folder. */
export interface ExperimentCell {
  augSet: AugSet;
  row: ExperimentRow;
  input: FinetuneInput;
  /** The runs behind the cell: cells of other aug sets with the same key share them. */
  key: string;
  /** Test-split scores of the chosen finetune's best checkpoint. */
  jaccard_samples: number;
  f1_micro: number;
  f1_macro: number;
  map_macro: number;
  /** Test patches scored. */
  n: number;
  /** The learning rate whose finetune scored best on validation, and that score. */
  lr: number;
  val_f1_micro: number;
  /** Every learning rate's finetune, in the order swept. */
  sweep: SweepEntry[];
  /** Null for the supervised rows. `aug` is the preset the pretrain ran with ('none': shared by every block). */
  pretrain: { run: string; aug: AugPreset; checkpoint: PretrainCheckpoint } | null;
  finetune_run: string;
}

/** A run the experiment started; `cancelled` ones are resumed by the next call. */
export interface RunEntry {
  run: string;
  status: 'completed' | 'cancelled';
}

export interface PretrainEntry extends RunEntry {
  /** The checkpoint its finetunes load, resolved once the pretrain completed. */
  checkpoint?: PretrainCheckpoint;
}

export interface FinetuneEntry extends RunEntry {
  /** TrainOutcome.best of a completed finetune: its best validation score. */
  best?: { metric: string; value: number; step: number };
}

/** The labels of the 1,024 rows (Supervised (1024) and every MoCo row). */
export interface SmallRowLabels {
  /** The finetune subset of each input (inputs with S1 may draw from fewer patches). */
  subsets: Record<FinetuneInput, SubsetSpec>;
  /** How they were chosen, for the table's Note. */
  note: string;
}

/** What every cell shares; a second call must bring the same. */
export interface ExperimentSettings {
  catalog: string;
  seed: number;
  /** Each cell finetunes once per learning rate and reports the one best on validation. */
  lrs: number[];
  /** The pretrain checkpoint the MoCo rows finetune from. */
  checkpoint: CheckpointSelector;
  labels: SmallRowLabels;
  /** Resolved pretrain config without the fields each row and block sets or derives (catalog, strategy, inputBlocks, sensor, aug, views, frozen, seed). */
  pretrain: Record<string, unknown>;
  /** Resolved finetune config without the fields each cell sets (catalog, input, variant, pretrained, lr, selection, seed). */
  finetune: Record<string, unknown>;
}

export const RESULTS_FORMAT = 'sen12ms-studio.experiment-results';
/** 2: aug-set blocks, six rows, the learning-rate sweep and the pretrain checkpoint. */
export const RESULTS_VERSION = 2;

export interface ExperimentResults {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  settings: ExperimentSettings;
  /** By `pretrainKey` of the plan (row and augmentation). */
  pretrains: Record<string, PretrainEntry>;
  /** By `finetuneKey` of the plan (cell key and learning rate). */
  finetunes: Record<string, FinetuneEntry>;
  cells: ExperimentCell[];
}

export function emptyResults(settings: ExperimentSettings): ExperimentResults {
  return { format: RESULTS_FORMAT, version: RESULTS_VERSION, settings, pretrains: {}, finetunes: {}, cells: [] };
}

/** Where a cell sits in the tables: its block, row and column. */
export function cellPlace(c: Pick<ExperimentCell, 'augSet' | 'row' | 'input'>): string {
  return `aug set ${c.augSet}/${c.row}/${c.input}`;
}

const runProperties = { run: { type: 'string', minLength: 1 }, status: { type: 'string', enum: ['completed', 'cancelled'] } } as const;
const checkpointSchema: JsonSchema = {
  type: 'object',
  required: ['file', 'step', 'epoch', 'kind'],
  additionalProperties: false,
  properties: {
    file: { type: 'string', minLength: 1 },
    step: { type: 'integer', minimum: 0 },
    epoch: { type: 'integer', minimum: 0 },
    kind: { type: 'string', enum: ['last', 'best', 'step'] },
  },
};
const score: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const lr: JsonSchema = { type: 'number', exclusiveMinimum: 0 };
const runDir: JsonSchema = { type: 'string', minLength: 1 };

const RESULTS_SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'settings', 'pretrains', 'finetunes', 'cells'],
  additionalProperties: false,
  properties: {
    format: { const: RESULTS_FORMAT },
    version: { const: RESULTS_VERSION },
    settings: {
      type: 'object',
      required: ['catalog', 'seed', 'lrs', 'checkpoint', 'labels', 'pretrain', 'finetune'],
      additionalProperties: false,
      properties: {
        catalog: { type: 'string' },
        seed: { type: 'integer' },
        lrs: { type: 'array', items: lr, minItems: 1 },
        checkpoint: { type: 'string' },
        labels: {
          type: 'object',
          required: ['subsets', 'note'],
          additionalProperties: false,
          properties: {
            subsets: { type: 'object', required: FINETUNE_INPUTS, additionalProperties: false, properties: Object.fromEntries(FINETUNE_INPUTS.map((i) => [i, { type: 'object', required: ['kind'] }])) },
            note: { type: 'string' },
          },
        },
        pretrain: { type: 'object' },
        finetune: { type: 'object' },
      },
    },
    pretrains: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['run', 'status'], additionalProperties: false, properties: { ...runProperties, checkpoint: checkpointSchema } },
    },
    finetunes: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['run', 'status'],
        additionalProperties: false,
        properties: {
          ...runProperties,
          best: {
            type: 'object',
            required: ['metric', 'value', 'step'],
            additionalProperties: false,
            properties: { metric: { type: 'string' }, value: score, step: { type: 'integer', minimum: 0 } },
          },
        },
      },
    },
    cells: {
      type: 'array',
      items: {
        type: 'object',
        required: ['augSet', 'row', 'input', 'key', 'jaccard_samples', 'f1_micro', 'f1_macro', 'map_macro', 'n', 'lr', 'val_f1_micro', 'sweep', 'pretrain', 'finetune_run'],
        additionalProperties: false,
        properties: {
          augSet: { anyOf: AUG_SETS.map((a) => ({ const: a })) },
          row: { type: 'string', enum: EXPERIMENT_ROWS },
          input: { type: 'string', enum: FINETUNE_INPUTS },
          key: { type: 'string', minLength: 1 },
          jaccard_samples: score,
          f1_micro: score,
          f1_macro: score,
          map_macro: score,
          n: { type: 'integer', minimum: 1 },
          lr,
          val_f1_micro: score,
          sweep: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['lr', 'run', 'validation', 'step'],
              additionalProperties: false,
              properties: { lr, run: runDir, validation: score, step: { type: 'integer', minimum: 0 } },
            },
          },
          pretrain: {
            anyOf: [
              {
                type: 'object',
                required: ['run', 'aug', 'checkpoint'],
                additionalProperties: false,
                properties: { run: runDir, aug: { type: 'string', enum: Object.keys(AUG_PRESETS) }, checkpoint: checkpointSchema },
              },
              { type: 'null' },
            ],
          },
          finetune_run: runDir,
        },
      },
    },
  },
} as const satisfies JsonSchema;

/**
 * The results a previous call left in `path`, or null when there are none. Refuses a file of
 * another format version and one made with other settings, naming the fields that differ, rather
 * than mixing two experiments in one table.
 */
export async function readResults(path: string, settings: ExperimentSettings): Promise<ExperimentResults | null> {
  const parsed = await readJsonFile(path);
  if (parsed === null) return null;
  if (isRecord(parsed) && parsed.format === RESULTS_FORMAT && parsed.version !== RESULTS_VERSION) {
    throw new DatasetFileError(
      path,
      `experiment results of format version ${show(parsed.version)}; this version of SEN12MS Studio reads version ${RESULTS_VERSION} ` +
        '(aug-set blocks, learning-rate sweep): run the experiment into another output folder',
    );
  }
  const errors = schemaErrors(RESULTS_SCHEMA, parsed);
  if (errors.length > 0) throw new DatasetFileError(path, `not experiment results: ${errors.join('; ')}`);
  const results = parsed as ExperimentResults;
  const seen = new Set<string>();
  for (const cell of results.cells) {
    const place = cellPlace(cell);
    if (seen.has(place)) throw new DatasetFileError(path, `cells: ${place} appears twice`);
    seen.add(place);
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
