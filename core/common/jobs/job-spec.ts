/**
 * What the app's job system runs: the kinds of job, their options (a pretrain or finetune job's
 * are the training settings the CLI's flags make, plus how one start runs), their states and what
 * they report. The spec is checked where it enters (the service), and again where it crosses a
 * process or storage boundary.
 */
import { BACKEND_CHOICES, TRAINING_BACKENDS, type BackendChoice, type TrainingBackend } from '../training/backends.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/export-formats.js';
import type { BlockSensor } from '../training/model-options.js';
import { CHECKPOINT_SELECTOR_SCHEMA, type CheckpointSelector } from '../runs/checkpoint-ref.js';
import { parseSubsetSyntax } from '../sampler/selection-spec.js';
import { EVALUATION_SPLITS, type EvaluationGrouping, type EvaluationSplit } from '../inference/evaluation.js';
import { FINETUNE_SETTINGS_PROPERTIES, type FinetuneSettings } from '../training/finetune-config.js';
import { PRETRAIN_SETTINGS_PROPERTIES, type PretrainSettings } from '../training/pretrain-config.js';
import { CPU_BACKEND_DEFAULTS, finetuneConfigFor, pretrainConfigFor } from '../training/backend-defaults.js';
import type { TrainProgress } from '../training/progress.js';
import { FieldError, schemaErrors, type JsonSchema } from '../util/json-schema.js';

export const JOB_KINDS = ['pretrain', 'finetune', 'evaluate', 'export'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** How one start of a training job runs, not what it trains: the CLI's --max-steps and --backend. */
interface TrainCallOptions {
  /** Steps one start of the job runs at most; a resumed job may run as many again. */
  maxSteps?: number;
  backend?: TrainingBackend;
}

export type PretrainJobOptions = PretrainSettings & TrainCallOptions;
/** `pretrained` may also be the id of a finished pretrain job: the job manager puts its run directory there. */
export type FinetuneJobOptions = FinetuneSettings & TrainCallOptions;

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
const positiveInt: JsonSchema = { type: 'integer', minimum: 1 };
const callFields = {
  maxSteps: positiveInt,
  backend: { type: 'string', enum: TRAINING_BACKENDS },
} as const satisfies Record<keyof TrainCallOptions, JsonSchema>;

function kindSchema(kind: JobKind, options: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['kind', 'catalog', 'options'],
    additionalProperties: false,
    properties: { kind: { const: kind }, catalog: path, options },
  };
}

const KIND_SCHEMAS: Record<JobKind, JsonSchema> = {
  pretrain: kindSchema('pretrain', { type: 'object', additionalProperties: false, properties: { ...PRETRAIN_SETTINGS_PROPERTIES, ...callFields } }),
  finetune: kindSchema('finetune', { type: 'object', additionalProperties: false, properties: { ...FINETUNE_SETTINGS_PROPERTIES, ...callFields } }),
  evaluate: kindSchema('evaluate', {
    type: 'object',
    required: ['model'],
    additionalProperties: false,
    properties: {
      model: path,
      checkpoint: CHECKPOINT_SELECTOR_SCHEMA,
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
      checkpoint: CHECKPOINT_SELECTOR_SCHEMA,
    },
  }),
};

/** The job spec as a JSON Schema document (one branch per kind). */
export const JOB_SPEC_SCHEMA: JsonSchema = { anyOf: JOB_KINDS.map((k) => KIND_SCHEMAS[k]) };

/**
 * Each field of a spec against its kind's schema, as `spec.<field>: <why>`: what a form can show
 * next to its fields as the user types. jobSpecProblems adds what only the whole spec shows.
 */
export function jobSpecFieldProblems(value: unknown): string[] {
  const wrongKind = kindProblem(value);
  return wrongKind !== null ? [wrongKind] : schemaErrors(KIND_SCHEMAS[(value as JobSpec).kind], value, 'spec');
}

/**
 * Everything wrong with a spec, each as `spec.<field>: <why>`; empty when it can run. A training
 * job's settings are also made into its run's config, so a combination the trainer refuses is
 * refused here, before the job is queued.
 */
export function jobSpecProblems(value: unknown): string[] {
  if (kindProblem(value) !== null) return jobSpecFieldProblems(value);
  const errors = [...jobSpecFieldProblems(value), ...subsetErrors((value as { options?: unknown }).options)];
  return errors.length > 0 ? errors : configProblems(value as JobSpec);
}

function kindProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'spec: must be an object';
  const { kind } = value as { kind?: unknown };
  if ((JOB_KINDS as readonly unknown[]).includes(kind)) return null;
  return `spec.kind: must be one of ${JOB_KINDS.map((k) => `"${k}"`).join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`;
}

/** The spec, checked; throws one Error naming every faulty field as `spec.options.<field>: <why>`. */
export function validateJobSpec(value: unknown): JobSpec {
  const problems = jobSpecProblems(value);
  if (problems.length > 0) throw new FieldError('job spec', problems);
  return value as JobSpec;
}

/** The subset text parses (the schema only knows it is a string, and refuses one that is not or is empty). */
function subsetErrors(options: unknown): string[] {
  const subset = typeof options === 'object' && options !== null ? (options as { subset?: unknown }).subset : undefined;
  if (typeof subset !== 'string' || subset === '') return [];
  try {
    parseSubsetSyntax(subset);
    return [];
  } catch (err) {
    return [`spec.options.subset: ${(err as Error).message}`];
  }
}

/**
 * What the trainer's config refuses in a training job's settings. Which backend the worker finds
 * is not known yet; the checks do not depend on its defaults (the CPU's smallest batch still
 * feeds the most workers a config allows).
 */
function configProblems(spec: JobSpec): string[] {
  try {
    if (spec.kind === 'pretrain') pretrainConfigFor(spec.catalog, spec.options, CPU_BACKEND_DEFAULTS);
    if (spec.kind === 'finetune') finetuneConfigFor(spec.catalog, spec.options, CPU_BACKEND_DEFAULTS);
    return [];
  } catch (err) {
    if (err instanceof FieldError) return err.problems.map((p) => `spec.options.${p}`);
    throw err;
  }
}
