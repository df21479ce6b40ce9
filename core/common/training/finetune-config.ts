import { FREEZE_MODES, type FreezeMode, RESNET_DEPTHS, type ResNetDepth } from './model-options.js';
import { SUBSET_TEXT_SCHEMA, withSelectionDefaults, type SubsetSpec } from '../sampler/selection-spec.js';
import { FieldError, schemaErrors, type JsonSchema } from '../util/json-schema.js';
import { CHECKPOINT_REF_SCHEMA, CHECKPOINT_SELECTOR_SCHEMA, DEFAULT_KEEP_CHECKPOINTS, KEEP_CHECKPOINTS_SCHEMA, type CheckpointRef, type CheckpointSelector } from '../runs/checkpoint-ref.js';
import { pretrainHasInputBlocks, type PretrainSettings } from './pretrain-config.js';

/** Simplified (10) or IGBP (17) classes. */
export type ClassScheme = 10 | 17;

/** Which sensors a classifier sees; the other one is zero-filled (no blocks) or left out (blocks). */
export const FINETUNE_INPUTS = ['s1', 's2', 's1s2'] as const;
export type FinetuneInput = (typeof FINETUNE_INPUTS)[number];

export const INPUT_TITLES: Record<FinetuneInput, string> = { s1: 'S1 (SAR)', s2: 'S2 (optical)', s1s2: 'S1 + S2' };

/** The multi-label decision threshold on sigmoid probabilities, as in the research. */
export const MULTI_LABEL_THRESHOLD = 0.5;

/** multi: BCE with logits, labels where sigmoid >= 0.5; single: softmax cross-entropy, arg-max. */
export const LABEL_SCHEMES = ['multi', 'single'] as const;
export type LabelScheme = (typeof LABEL_SCHEMES)[number];

/** The research's finetuning variants (Supervised, Supervised_1x1, Moco, Moco_1x1, Moco_1x1RND). */
export const FINETUNE_VARIANTS = ['supervised', 'supervised-1x1', 'moco', 'moco-1x1', 'moco-1x1-rnd'] as const;
export type FinetuneVariant = (typeof FINETUNE_VARIANTS)[number];

/** Train/val patches: the train split minus validation scenes (by seed), or a list cut 80/20 in order. */
export interface FinetuneSelection {
  valFraction?: number;
  subset?: SubsetSpec;
}

/** Everything a finetuning run needs; stored as the trainer part of its config.json. */
export interface FinetuneConfig {
  catalog: string;
  input: FinetuneInput;
  scheme: LabelScheme;
  classes: ClassScheme;
  variant: FinetuneVariant;
  /** Pretrain run directory or exported model directory; required by the moco variants only. */
  pretrained?: string;
  /**
   * Which checkpoint of `pretrained`: a selector when asked for (default `last` for a run), the
   * checkpoint actually loaded once the run exists (config.json records that, so a re-run from
   * it loads the same file).
   */
  pretrainedCheckpoint?: CheckpointSelector | CheckpointRef;
  freeze: FreezeMode;
  depth: ResNetDepth;
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Step schedule: the rate is multiplied by lrGamma every lrStepEpochs epochs. */
  lrStepEpochs: number;
  lrGamma: number;
  /** Side in pixels the patches are resampled to (256 = full resolution). */
  size: number;
  selection: FinetuneSelection;
  checkpointEvery: number;
  /** Older periodic checkpoints kept besides `last` and `best` (core/runs/checkpoint-policy.ts). */
  keepCheckpoints: number;
  seed: number;
  /** Recorded when the run is created: the modules no optimizer step changes (freeze, frozen blocks). */
  frozen?: string[];
}

/** The research's finetuning set-up (SEN12MS-FACTS.md, "The research's training set-up"). */
export const FINETUNE_DEFAULTS: Omit<FinetuneConfig, 'catalog' | 'pretrained' | 'pretrainedCheckpoint'> = {
  input: 's2',
  scheme: 'multi',
  classes: 10,
  variant: 'supervised',
  freeze: 'none',
  depth: 50,
  epochs: 100,
  batchSize: 64,
  lr: 1e-3,
  weightDecay: 1e-5,
  lrStepEpochs: 30,
  lrGamma: 0.1,
  size: 256,
  selection: {},
  checkpointEvery: 500,
  keepCheckpoints: DEFAULT_KEEP_CHECKPOINTS,
  seed: 0,
};

const positiveInt: JsonSchema = { type: 'integer', minimum: 1 };

export const FINETUNE_CONFIG_SCHEMA = {
  type: 'object',
  required: ['catalog', ...Object.keys(FINETUNE_DEFAULTS)],
  additionalProperties: false,
  properties: {
    catalog: { type: 'string', minLength: 1 },
    input: { type: 'string', enum: FINETUNE_INPUTS },
    scheme: { type: 'string', enum: LABEL_SCHEMES },
    classes: { anyOf: [{ const: 10 }, { const: 17 }] },
    variant: { type: 'string', enum: FINETUNE_VARIANTS },
    pretrained: { type: 'string', minLength: 1 },
    pretrainedCheckpoint: { anyOf: [CHECKPOINT_SELECTOR_SCHEMA, CHECKPOINT_REF_SCHEMA] },
    freeze: { type: 'string', enum: FREEZE_MODES },
    depth: { anyOf: RESNET_DEPTHS.map((d) => ({ const: d })) },
    epochs: positiveInt,
    // BatchNorm needs two samples to compute batch statistics.
    batchSize: { type: 'integer', minimum: 2 },
    lr: { type: 'number', exclusiveMinimum: 0 },
    weightDecay: { type: 'number', minimum: 0 },
    lrStepEpochs: positiveInt,
    lrGamma: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    size: { type: 'integer', minimum: 8, maximum: 256 },
    selection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        valFraction: { type: 'number', minimum: 0, maximum: 1 },
        subset: { type: 'object', required: ['kind'] },
      },
    },
    checkpointEvery: positiveInt,
    keepCheckpoints: KEEP_CHECKPOINTS_SCHEMA,
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    frozen: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
} as const satisfies JsonSchema;

/** The config fields a front end sets as they are; the pretrained checkpoint and the selection it sets through the fields below. */
export const FINETUNE_SETTING_FIELDS = [
  'variant',
  'input',
  'scheme',
  'classes',
  'pretrained',
  'freeze',
  'depth',
  'epochs',
  'batchSize',
  'lr',
  'size',
  'checkpointEvery',
  'keepCheckpoints',
  'seed',
] as const satisfies readonly (keyof FinetuneConfig)[];

/**
 * A finetuning run as a user asks for it, in the CLI's terms: the CLI's flags and the app's job
 * options are both this; backend-defaults.ts finetuneConfigFor makes the run's config of it. A
 * field left out (or undefined) takes its default.
 */
export type FinetuneSettings = Partial<Pick<FinetuneConfig, (typeof FINETUNE_SETTING_FIELDS)[number]>> & {
  /** Which checkpoint of `pretrained` (default last); config.json records the one loaded. */
  checkpoint?: CheckpointSelector;
  /** In the syntax of parseSubsetSyntax; default all. */
  subset?: string;
  /** Whole scenes of train held out for validation (or a list's own cut). */
  valFraction?: number;
};

/** Each field of FinetuneSettings, checked as the config checks it. */
export const FINETUNE_SETTINGS_PROPERTIES: Readonly<Record<keyof FinetuneSettings, JsonSchema>> = {
  ...(Object.fromEntries(FINETUNE_SETTING_FIELDS.map((f) => [f, FINETUNE_CONFIG_SCHEMA.properties[f]])) as Record<(typeof FINETUNE_SETTING_FIELDS)[number], JsonSchema>),
  checkpoint: CHECKPOINT_SELECTOR_SCHEMA,
  subset: SUBSET_TEXT_SCHEMA,
  valFraction: FINETUNE_CONFIG_SCHEMA.properties.selection.properties.valFraction,
};

/**
 * The research's variant for a start point: random weights (supervised), or a MoCo pretrain whose
 * 1x1 input blocks are kept when it had them (sensor strategies); a fusion pretrain had none.
 */
export function finetuneVariantFor(pretrain: Pick<PretrainSettings, 'strategy' | 'sensor' | 'inputBlocks'> | null): FinetuneVariant {
  if (pretrain === null) return 'supervised';
  return pretrainHasInputBlocks(pretrain) ? 'moco-1x1' : 'moco';
}

export function usesInputBlocks(variant: FinetuneVariant): boolean {
  return variant.includes('1x1');
}

export function usesPretrained(variant: FinetuneVariant): boolean {
  return variant.startsWith('moco');
}

/** Defaults filled in (the selection's too), then checked; errors name the field. */
export function resolveFinetuneConfig(input: Partial<FinetuneConfig> & { catalog: string }): FinetuneConfig {
  const merged = { ...FINETUNE_DEFAULTS, ...input } as FinetuneConfig;
  const config: FinetuneConfig = { ...merged, selection: withSelectionDefaults(merged.selection ?? {}) };
  const errors = schemaErrors(FINETUNE_CONFIG_SCHEMA, config);
  if (errors.length === 0) {
    if (usesPretrained(config.variant) && config.pretrained === undefined) {
      errors.push(`pretrained: variant "${config.variant}" starts from a MoCo pretrain; give its run directory or exported model directory`);
    }
    if (!usesPretrained(config.variant) && config.pretrained !== undefined) {
      errors.push(`pretrained: variant "${config.variant}" starts from random weights; only the moco variants take pretrained weights`);
    }
    if (config.pretrained === undefined && config.pretrainedCheckpoint !== undefined) {
      errors.push('pretrainedCheckpoint: names a checkpoint of the pretrained weights, and none are given');
    }
  }
  if (errors.length > 0) throw new FieldError('finetune config', errors);
  return config;
}

/**
 * The trainer part of a finetune run's config.json, resolved: the file may predate a default or
 * have been edited, so it is checked like any other input.
 */
export function recordedFinetuneConfig(trainer: Record<string, unknown>): FinetuneConfig {
  // resolveFinetuneConfig checks every field against the config schema and names the faulty ones.
  return resolveFinetuneConfig(trainer as Partial<FinetuneConfig> & { catalog: string });
}

/** What a scene classifier is: enough to rebuild it around stored weights. */
export interface ClassifierSpec {
  depth: ResNetDepth;
  input: FinetuneInput;
  /** Per-sensor 1x1 input blocks in front of a 3-channel backbone, else 12 fusion channels. */
  inputBlocks: boolean;
  scheme: LabelScheme;
  classes: ClassScheme;
}

export function classifierSpec(config: FinetuneConfig): ClassifierSpec {
  return { depth: config.depth, input: config.input, inputBlocks: usesInputBlocks(config.variant), scheme: config.scheme, classes: config.classes };
}
