import { RESNET_DEPTHS, type ResNetDepth } from './model-options.js';
import { AUG_PRESETS, augmentConfig, type AugPreset } from './augment-presets.js';
import { describeViews, isFusionStrategy, PAIR_STRATEGIES, type PairOptions, type PairStrategy, type ViewInput, type ViewRecord } from './pair-strategies.js';
import { SUBSET_TEXT_SCHEMA, withSelectionDefaults, type PatchSelection } from '../sampler/selection-spec.js';
import { FieldError, schemaErrors, type JsonSchema } from '../util/json-schema.js';
import { DEFAULT_KEEP_CHECKPOINTS, KEEP_CHECKPOINTS_SCHEMA } from '../runs/checkpoint-ref.js';

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
  /** Older periodic checkpoints kept besides `last` and `best` (core/runs/checkpoint-policy.ts). */
  keepCheckpoints: number;
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
  keepCheckpoints: DEFAULT_KEEP_CHECKPOINTS,
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
    selection: { type: 'object', required: ['split', 'seed'], properties: { valFraction: fraction } },
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
    keepCheckpoints: KEEP_CHECKPOINTS_SCHEMA,
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    workers: { type: 'integer', minimum: 1, maximum: MAX_WORKERS },
  },
} as const satisfies JsonSchema;

/** The config fields a front end sets as they are; the selection and the k-NN monitor it sets through the fields below. */
export const PRETRAIN_SETTING_FIELDS = [
  'strategy',
  'sensor',
  'inputBlocks',
  'freezeInputBlocks',
  'depth',
  'epochs',
  'batchSize',
  'lr',
  'warmupEpochs',
  'queueSize',
  'keyMomentum',
  'temperature',
  'size',
  'aug',
  'elastic',
  'checkpointEvery',
  'keepCheckpoints',
  'seed',
  'workers',
] as const satisfies readonly (keyof PretrainConfig)[];

/**
 * A pretraining run as a user asks for it, in the CLI's terms: the CLI's flags and the app's job
 * options are both this; backend-defaults.ts pretrainConfigFor makes the run's config of it. A
 * field left out (or undefined) takes its default.
 */
export type PretrainSettings = Partial<Pick<PretrainConfig, (typeof PRETRAIN_SETTING_FIELDS)[number]>> & {
  /** In the syntax of parseSubsetSyntax; default all. */
  subset?: string;
  /** Whole scenes of train held out for the k-NN monitor's validation patches. */
  valFraction?: number;
  /** The k-NN monitor's sizes (those left out take KNN_DEFAULTS), or null to run without it. */
  knn?: Partial<KnnMonitorConfig> | null;
};

/** Each field of PretrainSettings, checked as the config checks it. */
export const PRETRAIN_SETTINGS_PROPERTIES: Readonly<Record<keyof PretrainSettings, JsonSchema>> = {
  ...(Object.fromEntries(PRETRAIN_SETTING_FIELDS.map((f) => [f, PRETRAIN_CONFIG_SCHEMA.properties[f]])) as Record<(typeof PRETRAIN_SETTING_FIELDS)[number], JsonSchema>),
  subset: SUBSET_TEXT_SCHEMA,
  valFraction: fraction,
  // The object first: a faulty size is then named rather than "must be null".
  knn: {
    anyOf: [{ type: 'object', additionalProperties: false, properties: { k: positiveInt, bank: positiveInt, val: positiveInt } }, { type: 'null' }],
  },
};

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
  const inputBlocks = pretrainHasInputBlocks({ strategy: merged.strategy, sensor: merged.sensor, inputBlocks: input.inputBlocks });
  const config = { ...merged, inputBlocks, selection: withSelectionDefaults(merged.selection) };
  const { views: givenViews, frozen: givenFrozen, ...settings } = config;
  const refuse = (problem: string) => new FieldError('pretrain config', [problem]);
  const errors = schemaErrors(PRETRAIN_CONFIG_SCHEMA, { ...settings, views: { q: {}, k: {} }, frozen: [] });
  if (errors.length > 0) throw new FieldError('pretrain config', errors);
  if (feedsStack(config.strategy, config.sensor) && inputBlocks) {
    throw refuse(`inputBlocks: ${config.strategy} feeds the 12-channel S2+S1 stack to the backbone; per-sensor 1x1 blocks apply to sensor strategies only`);
  }
  if (!augments && (config.aug !== 'none' || config.elastic)) {
    throw refuse(
      `${config.aug !== 'none' ? 'aug' : 'elastic'}: sensor-pairs applies no augmentation (the other sensor is the view); ` +
        'use the sensor-pairs+augment strategy to augment both sensors',
    );
  }
  if (config.batchSize < config.workers * MIN_ROWS_PER_WORKER) {
    throw refuse(
      `workers: ${config.workers} workers need a batch size of at least ${config.workers * MIN_ROWS_PER_WORKER} ` +
        `(${MIN_ROWS_PER_WORKER} rows each for BatchNorm), got batchSize ${config.batchSize}`,
    );
  }
  const record = { views: describeViews(pairOptions(settings)), frozen: frozenParts(settings) };
  for (const [field, given] of [['views', givenViews], ['frozen', givenFrozen]] as const) {
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(record[field])) {
      throw refuse(`${field}: the record ${JSON.stringify(given)} does not match what the settings run, ${JSON.stringify(record[field])}`);
    }
  }
  return { ...settings, ...record };
}

/**
 * The trainer part of a pretrain run's config.json, resolved: the file may predate a default or
 * have been edited, so it is checked like any other input.
 */
export function recordedPretrainConfig(trainer: Record<string, unknown>): PretrainConfig {
  // resolvePretrainConfig checks every field against the config schema and names the faulty ones.
  return resolvePretrainConfig(trainer as PretrainInput);
}

/** Fusion strategies, and augment on the fusion input, feed the 12-channel stack: no per-sensor block can take it. */
function feedsStack(strategy: PairStrategy, sensor: ViewInput): boolean {
  return isFusionStrategy(strategy) || (strategy === 'augment' && sensor === 'fusion');
}

/**
 * Whether a pretrain asked for with these settings goes through per-sensor 1x1 input blocks, as
 * its config will record: sensor strategies do unless told otherwise; fusion never does.
 */
export function pretrainHasInputBlocks(settings: Pick<PretrainSettings, 'strategy' | 'sensor' | 'inputBlocks'>): boolean {
  return settings.inputBlocks ?? !feedsStack(settings.strategy ?? PRETRAIN_DEFAULTS.strategy, settings.sensor ?? PRETRAIN_DEFAULTS.sensor);
}

/** The per-sensor blocks a pretraining config builds: both for sensor strategies, one for augment, none for fusion. */
export function pretrainBlocks(config: Pick<PretrainConfig, 'inputBlocks' | 'strategy' | 'sensor'>): ('s1' | 's2')[] {
  if (!config.inputBlocks) return [];
  return config.strategy === 'augment' ? [config.sensor as 's1' | 's2'] : ['s1', 's2'];
}

function frozenParts(config: Omit<PretrainConfig, Derived>): string[] {
  return config.freezeInputBlocks ? pretrainBlocks(config).map((s) => `input.${s}`) : [];
}
