/**
 * What the app's job system runs: the kinds of job, their options (a subset of the training,
 * evaluation and export settings, in the same terms as the CLI), their states and what they
 * report. The spec is checked where it enters (the service, and again in the worker).
 */
import { BACKEND_CHOICES, TRAINING_BACKENDS, type BackendChoice, type TrainingBackend } from '../training/backends.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/export-formats.js';
import type { BlockSensor } from '../training/model-options.js';
import { CHECKPOINT_SELECTOR_PATTERN, type CheckpointSelector } from '../runs/checkpoint-ref.js';
import { parseSubsetSyntax } from '../sampler/selection-spec.js';
import { EVALUATION_SPLITS, type EvaluationGrouping, type EvaluationSplit } from '../inference/evaluation.js';
import { FINETUNE_CONFIG_SCHEMA, FINETUNE_DEFAULTS, usesPretrained, type FinetuneConfig } from '../training/finetune-config.js';
import { PRETRAIN_CONFIG_SCHEMA, type PretrainConfig } from '../training/pretrain-config.js';
import type { TrainProgress } from '../training/progress.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';

export const JOB_KINDS = ['pretrain', 'finetune', 'evaluate', 'export'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

interface RunJobOptions {
  /** Subset in the CLI's syntax: all | random:N | random-seasons:N | one-per-scene | non-overlapping | list:<file>. */
  subset?: string;
  /** Steps one start of the job runs at most (as the CLI's --max-steps); a resumed job may run as many again. */
  maxSteps?: number;
  backend?: TrainingBackend;
}

export type PretrainJobOptions = Partial<
  Pick<
    PretrainConfig,
    'strategy' | 'sensor' | 'freezeInputBlocks' | 'depth' | 'epochs' | 'batchSize' | 'lr' | 'size' | 'queueSize' | 'keyMomentum' | 'aug' | 'seed' | 'checkpointEvery'
  >
> &
  RunJobOptions;

export type FinetuneJobOptions = Partial<
  Pick<FinetuneConfig, 'variant' | 'input' | 'scheme' | 'classes' | 'freeze' | 'depth' | 'epochs' | 'batchSize' | 'lr' | 'size' | 'seed' | 'checkpointEvery'>
> &
  RunJobOptions & {
    /** A pretrain run directory, an exported model directory, or the id of a finished pretrain job. */
    pretrained?: string;
    /** Which checkpoint of a pretrained run (default last); the run's config.json records the one loaded. */
    checkpoint?: CheckpointSelector;
  };

export interface EvaluateJobOptions {
  /** A finetune run directory, an exported model directory, or the id of a finetune or export job. */
  model: string;
  /** Which checkpoint of a finetune run (default best); refused for an exported model. */
  checkpoint?: CheckpointSelector;
  split?: EvaluationSplit;
  by?: EvaluationGrouping;
  /** CSV file that receives one row per patch (core/training/predictions-csv.ts). */
  predictions?: string;
  batchSize?: number;
  backend?: BackendChoice;
}

export interface ExportJobOptions {
  /** A run directory or the id of a pretrain or finetune job. */
  run: string;
  formats: ExportFormat[];
  /** Folder the exported files are written to. */
  dest: string;
  sensor?: BlockSensor;
  /** Which checkpoint of the run (default: a pretrain's last, a finetune's best); the card records it. */
  checkpoint?: CheckpointSelector;
}

/** What the user asks for; `catalog` is filled in by the service from the opened data set. */
export type JobSpec =
  | { kind: 'pretrain'; catalog: string; options: PretrainJobOptions }
  | { kind: 'finetune'; catalog: string; options: FinetuneJobOptions }
  | { kind: 'evaluate'; catalog: string; options: EvaluateJobOptions }
  | { kind: 'export'; catalog: string; options: ExportJobOptions };

/** One progress report: a training step's (core/training/progress.ts); evaluation reports patches scored as steps, with loss and lr 0. */
export type JobProgress = Omit<TrainProgress, 'kind' | 'runDir'>;

export interface JobInfo {
  id: string;
  kind: JobKind;
  spec: JobSpec;
  state: JobState;
  /** The run directory a pretrain or finetune job writes (known once its first step is done). */
  runDir: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  progress: JobProgress | null;
  /** Outcome summary: TrainOutcome fields, evaluation overall metrics, or exported files. */
  result: unknown | null;
}


const path: JsonSchema = { type: 'string', minLength: 1 };
const checkpointSelector: JsonSchema = { type: 'string', pattern: CHECKPOINT_SELECTOR_PATTERN, description: 'last | best | step-N' };
const positiveInt: JsonSchema = { type: 'integer', minimum: 1 };
const pretrainField = PRETRAIN_CONFIG_SCHEMA.properties;
const finetuneField = FINETUNE_CONFIG_SCHEMA.properties;
const runFields = {
  subset: { type: 'string', minLength: 1, description: 'all | random:N | random-seasons:N | one-per-scene | non-overlapping | list:<file>' },
  maxSteps: positiveInt,
  backend: { type: 'string', enum: TRAINING_BACKENDS },
} as const satisfies Record<string, JsonSchema>;

function kindSchema(kind: JobKind, options: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['kind', 'catalog', 'options'],
    additionalProperties: false,
    properties: { kind: { const: kind }, catalog: path, options },
  };
}

const KIND_SCHEMAS: Record<JobKind, JsonSchema> = {
  pretrain: kindSchema('pretrain', {
    type: 'object',
    additionalProperties: false,
    properties: {
      strategy: pretrainField.strategy,
      sensor: pretrainField.sensor,
      freezeInputBlocks: pretrainField.freezeInputBlocks,
      depth: pretrainField.depth,
      epochs: pretrainField.epochs,
      batchSize: pretrainField.batchSize,
      lr: pretrainField.lr,
      size: pretrainField.size,
      queueSize: pretrainField.queueSize,
      keyMomentum: pretrainField.keyMomentum,
      aug: pretrainField.aug,
      seed: pretrainField.seed,
      checkpointEvery: pretrainField.checkpointEvery,
      ...runFields,
    },
  }),
  finetune: kindSchema('finetune', {
    type: 'object',
    additionalProperties: false,
    properties: {
      variant: finetuneField.variant,
      input: finetuneField.input,
      scheme: finetuneField.scheme,
      classes: finetuneField.classes,
      pretrained: path,
      checkpoint: checkpointSelector,
      freeze: finetuneField.freeze,
      depth: finetuneField.depth,
      epochs: finetuneField.epochs,
      batchSize: finetuneField.batchSize,
      lr: finetuneField.lr,
      size: finetuneField.size,
      seed: finetuneField.seed,
      checkpointEvery: finetuneField.checkpointEvery,
      ...runFields,
    },
  }),
  evaluate: kindSchema('evaluate', {
    type: 'object',
    required: ['model'],
    additionalProperties: false,
    properties: {
      model: path,
      checkpoint: checkpointSelector,
      split: { type: 'string', enum: EVALUATION_SPLITS },
      by: {
        anyOf: [
          { type: 'string', enum: ['scene', 'season'] },
          { type: 'object', required: ['regions'], additionalProperties: false, properties: { regions: { ...path, description: 'GeoJSON file' } } },
        ],
      },
      predictions: { ...path, description: 'CSV file of per-patch predictions' },
      batchSize: positiveInt,
      backend: { type: 'string', enum: BACKEND_CHOICES },
    },
  }),
  export: kindSchema('export', {
    type: 'object',
    required: ['run', 'formats', 'dest'],
    additionalProperties: false,
    properties: {
      run: path,
      formats: { type: 'array', items: { type: 'string', enum: EXPORT_FORMATS }, minItems: 1 },
      dest: path,
      sensor: { type: 'string', enum: ['s1', 's2'] },
      checkpoint: checkpointSelector,
    },
  }),
};

/** The job spec as a JSON Schema document (one branch per kind). */
export const JOB_SPEC_SCHEMA: JsonSchema = { anyOf: JOB_KINDS.map((k) => KIND_SCHEMAS[k]) };

/** The spec, checked; throws one Error naming every faulty field as `spec.options.<field>: <why>`. */
export function validateJobSpec(value: unknown): JobSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('invalid job spec: spec: must be an object');
  const { kind, options } = value as { kind?: unknown; options?: unknown };
  if (!(JOB_KINDS as readonly unknown[]).includes(kind)) {
    throw new Error(`invalid job spec: spec.kind: must be one of ${JOB_KINDS.map((k) => `"${k}"`).join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  const errors = schemaErrors(KIND_SCHEMAS[kind as JobKind], value, 'spec');
  if (typeof options === 'object' && options !== null) errors.push(...subsetErrors(options as { subset?: unknown }));
  if (errors.length === 0) errors.push(...pretrainedErrors(value as JobSpec));
  if (errors.length > 0) throw new Error(`invalid job spec: ${errors.join('; ')}`);
  return value as JobSpec;
}

/** The subset text parses (the schema only knows it is a string). */
function subsetErrors(options: { subset?: unknown }): string[] {
  if (typeof options.subset !== 'string') return [];
  try {
    parseSubsetSyntax(options.subset);
    return [];
  } catch (err) {
    return [`spec.options.subset: ${(err as Error).message}`];
  }
}

/** The moco variants need pretrained weights and the others refuse them (as resolveFinetuneConfig). */
function pretrainedErrors(spec: JobSpec): string[] {
  if (spec.kind !== 'finetune') return [];
  const variant = spec.options.variant ?? FINETUNE_DEFAULTS.variant;
  const given = spec.options.pretrained !== undefined;
  if (usesPretrained(variant) && !given) {
    return [`spec.options.pretrained: variant "${variant}" starts from a MoCo pretrain; give its run directory, exported model directory or job id`];
  }
  if (!usesPretrained(variant) && given) {
    return [`spec.options.pretrained: variant "${variant}" starts from random weights; only the moco variants take pretrained weights`];
  }
  if (!given && spec.options.checkpoint !== undefined) return ['spec.options.checkpoint: names a checkpoint of the pretrained weights, and none are given'];
  return [];
}
