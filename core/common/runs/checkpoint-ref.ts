/** Checkpoint selectors and references: which checkpoint of a run a consumer takes, and the record of it. */
import type { JsonSchema } from '../util/json-schema.js';

export type RunKind = 'pretrain' | 'finetune';

/** Why a checkpoint was written: every checkpointEvery steps, on cancel, or as the run's best. */
export type CheckpointKind = 'periodic' | 'cancel' | 'best';

/**
 * Which checkpoint of a run a consumer (finetune, evaluate, export, embed, experiment, the UI)
 * takes: `last` (the newest step), `best` (the best validation score) or `step-N`.
 */
export type CheckpointSelector = 'last' | 'best' | `step-${number}`;

export const CHECKPOINT_SELECTOR_PATTERN = '^(last|best|step-(0|[1-9][0-9]*))$';
const SELECTOR = new RegExp(CHECKPOINT_SELECTOR_PATTERN);
export const CHECKPOINT_SELECTOR_SCHEMA = { type: 'string', pattern: CHECKPOINT_SELECTOR_PATTERN, description: 'last | best | step-N' } as const satisfies JsonSchema;

/**
 * What each kind of run's consumers use unless told otherwise. A pretrain's InfoNCE loss rises
 * while the queue fills with real keys, so a low loss marks an early, untrained encoder: its
 * consumers take the last checkpoint. A finetune's `best` is chosen on validation, as in the research.
 */
export const DEFAULT_CHECKPOINT: Record<RunKind, CheckpointSelector> = { pretrain: 'last', finetune: 'best' };

/** How the `best` checkpoint of each kind of run is chosen, as written into configs and cards. */
export const BEST_RULE: Record<RunKind, string> = {
  pretrain: 'highest k-NN top-1 accuracy of the query encoder on validation patches, checked every epoch; ties go to the later epoch',
  finetune: 'highest validation micro-F1, checked every epoch; ties go to the later epoch',
};

/** The checkpoint a consumer used, as recorded in configs, model cards, logs and the UI. */
export interface CheckpointRef {
  /** The run directory. */
  run: string;
  /** File name inside the run's checkpoints/. */
  file: string;
  step: number;
  epoch: number;
  /** The selector kind that chose it. */
  kind: 'last' | 'best' | 'step';
}

export const CHECKPOINT_REF_SCHEMA = {
  type: 'object',
  required: ['run', 'file', 'step', 'epoch', 'kind'],
  additionalProperties: false,
  properties: {
    run: { type: 'string', minLength: 1 },
    file: { type: 'string', pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]*\\.safetensors$' },
    step: { type: 'integer', minimum: 0 },
    epoch: { type: 'integer', minimum: 0 },
    kind: { type: 'string', enum: ['last', 'best', 'step'] },
  },
} as const satisfies JsonSchema;

export function isCheckpointSelector(value: unknown): value is CheckpointSelector {
  return typeof value === 'string' && SELECTOR.test(value);
}

/** Checks a selector given on the command line or in a request; `field` names it in the error. */
export function parseCheckpointSelector(value: unknown, field = 'checkpoint'): CheckpointSelector {
  if (!isCheckpointSelector(value)) throw new Error(`${field}: expected last, best or step-N, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Checkpoint retention: besides `last` (the newest step) and `best`, a run keeps this many older
 * periodic checkpoints, newest first, for `step-N` selectors and resumes past a damaged file.
 * The app's settings and the CLI's --keep-checkpoints set it; config.json records it.
 */
export const DEFAULT_KEEP_CHECKPOINTS = 2;
export const KEEP_CHECKPOINTS_SCHEMA = {
  type: 'integer',
  minimum: 0,
  maximum: 1000,
  description: 'older periodic checkpoints kept besides last and best',
} as const satisfies JsonSchema;
