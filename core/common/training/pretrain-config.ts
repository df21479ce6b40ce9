import { RESNET_DEPTHS, type ResNetDepth } from './model-options.js';
import { AUG_PRESETS, augmentConfig, type AugPreset } from './augment-presets.js';
import { describeViews, PAIR_STRATEGIES, type PairOptions, type PairStrategy, type ViewInput, type ViewRecord } from './pair-strategies.js';
import { withSelectionDefaults, type PatchSelection } from '../sampler/selection-spec.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';

/** MoCo-v2's queue, key momentum, temperature and SGD settings (the research's). */
export const MOCO_DEFAULTS = { queueSize: 65_536, keyMomentum: 0.999, temperature: 0.2, sgdMomentum: 0.9, weightDecay: 1e-4 } as const;

/** Everything a MoCo pretraining run needs; stored as the trainer part of its config.json. */
export interface PretrainConfig {
  catalog: string;
  strategy: PairStrategy;
  /** For `augment`: which input both views come from. */
  sensor: ViewInput;
  /** Per-sensor 1x1 input blocks (sensor strategies); fusion strategies feed 12 channels directly. */
  inputBlocks: boolean;
  /** The draft: "The weights of this layer are not updated during training" (default true). */
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
  /** Augmentation preset of both views; `none` for sensor-pairs, which augments nothing. */
  aug: AugPreset;
  elastic: boolean;
  selection: PatchSelection;
  /** The k-NN monitor that picks the `best` checkpoint; null: off (the run then has no `best`). */
  knn: KnnMonitorConfig | null;
  checkpointEvery: number;
  seed: number;
  /**
   * Data-parallel replicas, one per worker thread (1: train on the calling thread). Part of the
   * run's identity: each replica's BatchNorm sees only its share of the batch, so the count
   * changes the results.
   */
  workers: number;
  /** Derived, recorded so config.json says what ran: what each view is made of and its augmentation. */
  views: { q: ViewRecord; k: ViewRecord };
  /** Derived: the parameters no optimizer step changes (the frozen input blocks). */
  frozen: string[];
}

/** Each epoch: k-NN top-1 of the query encoder's pooled features, `val` validation patches against `bank` train patches. */
export interface KnnMonitorConfig {
  k: number;
  bank: number;
  val: number;
}

export const KNN_DEFAULTS: KnnMonitorConfig = { k: 20, bank: 1024, val: 512 };

/** The fields resolvePretrainConfig derives; a caller never sets them. */
type Derived = 'views' | 'frozen';
export type PretrainInput = Partial<Omit<PretrainConfig, Derived>> & { catalog: string } & Partial<Pick<PretrainConfig, Derived>>;

/** Queue length on CPU backends: 65,536 keys are affordable on a GPU, not at a few images/s. */
export const CPU_QUEUE_SIZE = 4096;

export const PRETRAIN_DEFAULTS: Omit<PretrainConfig, 'catalog' | Derived> = {
  strategy: 'sensor-pairs',
  sensor: 's2',
  inputBlocks: true,
  freezeInputBlocks: true,
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
  knn: KNN_DEFAULTS,
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
  required: Object.keys({ catalog: 1, views: 1, frozen: 1, ...PRETRAIN_DEFAULTS }),
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
    knn: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['k', 'bank', 'val'],
          additionalProperties: false,
          properties: { k: positiveInt, bank: positiveInt, val: positiveInt },
        },
      ],
    },
    views: { type: 'object', required: ['q', 'k'] },
    frozen: { type: 'array', items: { type: 'string' } },
    checkpointEvery: positiveInt,
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    workers: { type: 'integer', minimum: 1, maximum: MAX_WORKERS },
  },
} as const satisfies JsonSchema;

/** The options that make a run's views, for the sampler (pairs) and for the record (views). */
export function pairOptions(config: Omit<PretrainConfig, Derived>): PairOptions {
  return {
    strategy: config.strategy,
    augment: augmentConfig(config.aug, { elastic: config.elastic }),
    outSize: config.size,
    sensor: config.sensor,
    inputBlocks: config.inputBlocks,
  };
}

/**
 * Every default filled in (the augmentation by strategy, the selection's), the derived record
 * (views, frozen) computed, then checked; errors name the field. A config read back from a
 * config.json resolves to itself; one whose record disagrees with its settings is refused.
 */
export function resolvePretrainConfig(input: PretrainInput): PretrainConfig {
  const strategy = input.strategy ?? PRETRAIN_DEFAULTS.strategy;
  const augments = strategy !== 'sensor-pairs';
  const merged = { ...PRETRAIN_DEFAULTS, aug: augments ? PRETRAIN_DEFAULTS.aug : ('none' as const), ...input };
  const fusion = merged.strategy.endsWith('fusion') || (merged.strategy === 'augment' && merged.sensor === 'fusion');
  // Sensor strategies go through 1x1 blocks unless told otherwise; fusion never does.
  const inputBlocks = input.inputBlocks ?? !fusion;
  const config = { ...merged, inputBlocks, selection: withSelectionDefaults(merged.selection) };
  const { views: givenViews, frozen: givenFrozen, ...settings } = config;
  const errors = schemaErrors(PRETRAIN_CONFIG_SCHEMA, { ...settings, views: { q: {}, k: {} }, frozen: [] });
  if (errors.length > 0) throw new Error(`invalid pretrain config: ${errors.join('; ')}`);
  if (fusion && inputBlocks) {
    throw new Error(`invalid pretrain config: inputBlocks: ${config.strategy} feeds the 12-channel S2+S1 stack to the backbone; per-sensor 1x1 blocks apply to sensor strategies only`);
  }
  if (!augments && (config.aug !== 'none' || config.elastic)) {
    throw new Error(
      `invalid pretrain config: ${config.aug !== 'none' ? 'aug' : 'elastic'}: sensor-pairs applies no augmentation (the other sensor is the view); ` +
        'use the sensor-pairs+augment strategy to augment both sensors',
    );
  }
  if (config.batchSize < config.workers * MIN_ROWS_PER_WORKER) {
    throw new Error(
      `invalid pretrain config: workers: ${config.workers} workers need a batch size of at least ${config.workers * MIN_ROWS_PER_WORKER} ` +
        `(${MIN_ROWS_PER_WORKER} rows each for BatchNorm), got batchSize ${config.batchSize}`,
    );
  }
  const record = { views: describeViews(pairOptions(settings)), frozen: frozenParts(settings) };
  for (const [field, given] of [['views', givenViews], ['frozen', givenFrozen]] as const) {
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(record[field])) {
      throw new Error(`invalid pretrain config: ${field}: the record ${JSON.stringify(given)} does not match what the settings run, ${JSON.stringify(record[field])}`);
    }
  }
  return { ...settings, ...record };
}

/** The per-sensor blocks a pretraining config builds: both for sensor strategies, one for augment, none for fusion. */
export function pretrainBlocks(config: Pick<PretrainConfig, 'inputBlocks' | 'strategy' | 'sensor'>): ('s1' | 's2')[] {
  if (!config.inputBlocks) return [];
  return config.strategy === 'augment' ? [config.sensor as 's1' | 's2'] : ['s1', 's2'];
}

function frozenParts(config: Omit<PretrainConfig, Derived>): string[] {
  return config.freezeInputBlocks ? pretrainBlocks(config).map((s) => `input.${s}`) : [];
}
