import { RESNET_DEPTHS, type ResNetDepth } from '../models/resnet.js';
import { AUG_PRESETS, type AugPreset } from '../sampler/augment.js';
import { PAIR_STRATEGIES, type PairStrategy, type ViewInput } from '../sampler/pairs.js';
import type { PatchSelection } from '../sampler/selection.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';
import { MOCO_DEFAULTS } from './moco.js';

/** Everything a MoCo pretraining run needs; stored as the trainer part of its config.json. */
export interface PretrainConfig {
  catalog: string;
  strategy: PairStrategy;
  /** For `augment`: which input both views come from. */
  sensor: ViewInput;
  /** Per-sensor 1x1 input blocks (sensor strategies); fusion strategies feed 12 channels directly. */
  inputBlocks: boolean;
  freezeInputBlocks: boolean;
  depth: ResNetDepth;
  epochs: number;
  batchSize: number;
  lr: number;
  warmupEpochs: number;
  queueSize: number;
  keyMomentum: number;
  temperature: number;
  sgdMomentum: number;
  weightDecay: number;
  /** Side in pixels the patches are resampled to (256 = full resolution). */
  size: number;
  aug: AugPreset;
  elastic: boolean;
  selection: PatchSelection;
  checkpointEvery: number;
  seed: number;
  /**
   * Data-parallel replicas, one per worker thread (1: train on the calling thread). Part of the
   * run's identity: each replica's BatchNorm sees only its share of the batch, so the count
   * changes the results.
   */
  workers: number;
}

/** Queue length on CPU backends: 65,536 keys are affordable on a GPU, not at a few images/s. */
export const CPU_QUEUE_SIZE = 4096;

export const PRETRAIN_DEFAULTS: Omit<PretrainConfig, 'catalog'> = {
  strategy: 'sensor-pairs',
  sensor: 's2',
  inputBlocks: true,
  freezeInputBlocks: false,
  depth: 50,
  epochs: 20,
  batchSize: 64,
  lr: 0.03,
  warmupEpochs: 0,
  ...MOCO_DEFAULTS,
  size: 256,
  aug: 'aug-set-2',
  elastic: false,
  selection: { split: 'train', seed: 0 },
  checkpointEvery: 500,
  seed: 0,
  workers: 1,
};

const MAX_WORKERS = 16;
/** BatchNorm needs more than one value per channel: the backbone's last layers are 1x1 at small sizes. */
const MIN_ROWS_PER_WORKER = 2;

const positiveInt: JsonSchema = { type: 'integer', minimum: 1 };
const fraction: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };

export const PRETRAIN_CONFIG_SCHEMA = {
  type: 'object',
  required: Object.keys({ catalog: 1, ...PRETRAIN_DEFAULTS }),
  additionalProperties: false,
  properties: {
    catalog: { type: 'string', minLength: 1 },
    strategy: { type: 'string', enum: PAIR_STRATEGIES },
    sensor: { type: 'string', enum: ['s1', 's2', 'fusion'] },
    inputBlocks: { type: 'boolean' },
    freezeInputBlocks: { type: 'boolean' },
    depth: { anyOf: RESNET_DEPTHS.map((d) => ({ const: d })) },
    epochs: positiveInt,
    batchSize: { type: 'integer', minimum: 2 },
    lr: { type: 'number', exclusiveMinimum: 0 },
    warmupEpochs: { type: 'integer', minimum: 0 },
    queueSize: positiveInt,
    keyMomentum: fraction,
    temperature: { type: 'number', exclusiveMinimum: 0 },
    sgdMomentum: fraction,
    weightDecay: { type: 'number', minimum: 0 },
    size: { type: 'integer', minimum: 8, maximum: 256 },
    aug: { type: 'string', enum: Object.keys(AUG_PRESETS) },
    elastic: { type: 'boolean' },
    selection: { type: 'object', required: ['split', 'seed'] },
    checkpointEvery: positiveInt,
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    workers: { type: 'integer', minimum: 1, maximum: MAX_WORKERS },
  },
} as const satisfies JsonSchema;

/** Defaults filled in, then checked; errors name the field. */
export function resolvePretrainConfig(input: Partial<PretrainConfig> & { catalog: string }): PretrainConfig {
  const merged = { ...PRETRAIN_DEFAULTS, ...input };
  const fusion = merged.strategy.endsWith('fusion') || (merged.strategy === 'augment' && merged.sensor === 'fusion');
  // Sensor strategies go through 1x1 blocks unless told otherwise; fusion never does.
  const config = { ...merged, inputBlocks: input.inputBlocks ?? !fusion };
  const errors = schemaErrors(PRETRAIN_CONFIG_SCHEMA, config);
  if (errors.length > 0) throw new Error(`invalid pretrain config: ${errors.join('; ')}`);
  if (fusion && config.inputBlocks) {
    throw new Error(`invalid pretrain config: inputBlocks: ${config.strategy} feeds the 12-channel S2+S1 stack to the backbone; per-sensor 1x1 blocks apply to sensor strategies only`);
  }
  if (config.batchSize < config.workers * MIN_ROWS_PER_WORKER) {
    throw new Error(
      `invalid pretrain config: workers: ${config.workers} workers need a batch size of at least ${config.workers * MIN_ROWS_PER_WORKER} ` +
        `(${MIN_ROWS_PER_WORKER} rows each for BatchNorm), got batchSize ${config.batchSize}`,
    );
  }
  return config;
}
