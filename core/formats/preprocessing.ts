import { BAND_SENSORS, bandSource, type BandSensor } from '../common/dataset/bands.js';
import { PATCH_FORMATS, PATCH_SIZE } from '../dataset/patch-reader.js';
import { BN_EPS } from '../models/batch-norm.js';
import { BLOCK_OUT_CHANNELS } from '../models/input-block.js';
import { RESNET_ARCHITECTURES } from '../models/resnet.js';
import { RESNET_DEPTHS, type ResNetDepth } from '../common/training/model-options.js';
import { resampleMethod } from '../sampler/resample.js';
import type { JsonSchema } from '../common/util/json-schema.js';
import { MODEL_FILE, WEIGHT_PARTS } from './export-files.js';
import type { ModelCardInput } from './model-card.js';

/**
 * The model card's `preprocessing`: the whole function from the sensor files to the outputs, as
 * an ordered list of steps another tool can follow without this app. Per sensor file: pick bands
 * (GDAL's 1-based band numbers), fill NaNs, clip, z-score; then resize (after normalising, as
 * training does), concatenate the sensors (S2 first), the 1x1 input block, the torchvision
 * backbone and the output activation. Built from the card's own fields, which come from the
 * constants training uses (core/dataset/normalise.ts, resample.ts, batch-norm.ts).
 */
export type PreprocessingStep =
  | {
      op: 'select_bands';
      sensor: BandSensor;
      /** 1-based, as GDAL and QGIS number the bands of the sensor's file. */
      bands: number[];
      names: string[];
      /** What the file holds: its band count, sample type and units. */
      fileBands: number;
      dtype: string;
      units: string;
    }
  | { op: 'fill_nan'; sensor: BandSensor; value: number[] }
  /** Per band; null: that band is not clipped on that side. */
  | { op: 'clip'; sensor: BandSensor; min: (number | null)[]; max: (number | null)[] }
  /** (x - mean) / std per band. */
  | { op: 'normalize'; sensor: BandSensor; mean: number[]; std: number[] }
  /**
   * Every band from `from` x `from` to `size` x `size`. area: the mean of each (from/size)^2 block
   * (from % size == 0). bilinear: half-pixel centres, edges clamped, no antialiasing
   * (torch's interpolate(mode="bilinear", align_corners=False)).
   */
  | { op: 'resize'; from: number; size: number; method: 'area' | 'bilinear' }
  /** Channels of each sensor in this order; `missing`: a sensor without a file reads as zeros (its mean once normalised). */
  | { op: 'concat'; order: BandSensor[]; missing?: 'zeros' }
  | { op: 'conv1x1'; file: string; weight: string; bias: false }
  | { op: 'batch_norm'; file: string; weight: string; bias: string; running_mean: string; running_var: string; eps: number }
  | { op: 'relu' }
  /** torchvision's ResNet with conv1 taking `inChannels`; `features`: fc replaced by Identity, else its fc gives logits. */
  | { op: 'backbone'; architecture: string; torchvision: string; file: string; inChannels: number; output: 'features' | 'logits' }
  | { op: 'sigmoid' }
  | { op: 'threshold'; value: number }
  | { op: 'softmax'; axis: 1 }
  | { op: 'argmax'; axis: 1 };

export type ResizeStep = Extract<PreprocessingStep, { op: 'resize' }>;

/** What each sensor's file holds, for select_bands. */
const FILE_UNITS: Record<BandSensor, string> = { s2: 'reflectance x 10000', s1: 'backscatter (sigma nought), dB' };

/** The card fields the steps follow from. */
export type PreprocessingSource = Pick<
  ModelCardInput,
  'architecture' | 'bands' | 'normalization' | 'inputBlock' | 'inputChannels' | 'task' | 'threshold' | 'training'
>;

export function preprocessingSteps(card: PreprocessingSource): PreprocessingStep[] {
  const channels = card.bands.map((name, c) => ({ c, name, ...bandSource(name) }));
  const sensors = BAND_SENSORS.filter((s) => channels.some((ch) => ch.sensor === s));
  const concatenated = sensors.flatMap((s) => channels.filter((ch) => ch.sensor === s));
  if (concatenated.some((ch, i) => ch.c !== i)) {
    throw new Error(`bands: [${card.bands}] are not grouped by sensor in the order ${BAND_SENSORS.join(', ')}`);
  }
  const { nanValue, clip, mean, std } = card.normalization;
  const steps: PreprocessingStep[] = [];
  for (const sensor of sensors) {
    const own = channels.filter((ch) => ch.sensor === sensor);
    const { bands: fileBands, dtype } = PATCH_FORMATS[sensor];
    steps.push({ op: 'select_bands', sensor, bands: own.map((ch) => ch.index + 1), names: own.map((ch) => ch.name), fileBands, dtype, units: FILE_UNITS[sensor] });
    steps.push({ op: 'fill_nan', sensor, value: own.map((ch) => nanValue[ch.c]) });
    if (own.some((ch) => clip[ch.c])) {
      steps.push({ op: 'clip', sensor, min: own.map((ch) => clip[ch.c]?.[0] ?? null), max: own.map((ch) => clip[ch.c]?.[1] ?? null) });
    }
    steps.push({ op: 'normalize', sensor, mean: own.map((ch) => mean[ch.c]), std: own.map((ch) => std[ch.c]) });
  }
  const size = trainedSize(card.training.config);
  steps.push({ op: 'resize', from: PATCH_SIZE, size, method: resampleMethod(PATCH_SIZE, size) });
  steps.push(sensors.length > 1 ? { op: 'concat', order: sensors, missing: 'zeros' } : { op: 'concat', order: sensors });

  if (card.inputBlock !== null) {
    const file = WEIGHT_PARTS.find((p) => p.role === 'input-block')!.file;
    const bn = `${card.inputBlock}.bn`;
    steps.push(
      { op: 'conv1x1', file, weight: `${card.inputBlock}.conv.weight`, bias: false },
      { op: 'batch_norm', file, weight: `${bn}.weight`, bias: `${bn}.bias`, running_mean: `${bn}.running_mean`, running_var: `${bn}.running_var`, eps: BN_EPS },
      { op: 'relu' },
    );
  }
  const { bottleneck, blocksPerStage } = RESNET_ARCHITECTURES[architectureDepth(card.architecture)];
  steps.push({
    op: 'backbone',
    architecture: card.architecture,
    torchvision: `ResNet(${bottleneck ? 'Bottleneck' : 'BasicBlock'}, [${blocksPerStage.join(', ')}])`,
    file: MODEL_FILE,
    inChannels: card.inputBlock === null ? card.inputChannels : BLOCK_OUT_CHANNELS,
    output: card.task === 'features' ? 'features' : 'logits',
  });
  if (card.task === 'multi-label') steps.push({ op: 'sigmoid' }, { op: 'threshold', value: card.threshold! });
  if (card.task === 'single-label') steps.push({ op: 'softmax', axis: 1 }, { op: 'argmax', axis: 1 });
  return steps;
}

/** The side the model was trained at (training.config.size); full patches when the config does not say. */
function trainedSize(config: Record<string, unknown>): number {
  const size = config.size ?? PATCH_SIZE;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > PATCH_SIZE) {
    throw new Error(`training.config.size: expected a whole number of pixels 1..${PATCH_SIZE}, got ${JSON.stringify(size)}`);
  }
  return size as number;
}

export function architectureDepth(architecture: string): ResNetDepth {
  const depth = Number(architecture.replace(/^resnet/, '')) as ResNetDepth;
  if (!RESNET_DEPTHS.includes(depth)) throw new Error(`architecture ${architecture} is not one this app builds (resnet${RESNET_DEPTHS.join(', resnet')})`);
  return depth;
}

/** The resize step of a card: the side the model takes. */
export function resizeStep(card: { preprocessing: readonly PreprocessingStep[] }): ResizeStep {
  const step = card.preprocessing.find((s): s is ResizeStep => s.op === 'resize');
  if (!step) throw new Error('preprocessing: no resize step');
  return step;
}

const sensor = { type: 'string', enum: BAND_SENSORS } as const;
const numbers = { type: 'array', items: { type: 'number' } } as const;
const bounds = { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'null' }] } } as const;
const name = { type: 'string', minLength: 1 } as const;

function step(op: string, properties: Record<string, JsonSchema> = {}, optional: readonly string[] = []): JsonSchema {
  return {
    type: 'object',
    required: ['op', ...Object.keys(properties).filter((k) => !optional.includes(k))],
    additionalProperties: false,
    properties: { op: { const: op }, ...properties },
  };
}

export const PREPROCESSING_SCHEMA = {
  type: 'array',
  minItems: 1,
  items: {
    anyOf: [
      step('select_bands', {
        sensor,
        bands: { type: 'array', items: { type: 'integer', minimum: 1 } },
        names: { type: 'array', items: name },
        fileBands: { type: 'integer', minimum: 1 },
        dtype: name,
        units: name,
      }),
      step('fill_nan', { sensor, value: numbers }),
      step('clip', { sensor, min: bounds, max: bounds }),
      step('normalize', { sensor, mean: numbers, std: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } } }),
      step('resize', { from: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1 }, method: { type: 'string', enum: ['area', 'bilinear'] } }),
      step('concat', { order: { type: 'array', items: sensor, minItems: 1 }, missing: { const: 'zeros' } }, ['missing']),
      step('conv1x1', { file: name, weight: name, bias: { const: false } }),
      step('batch_norm', { file: name, weight: name, bias: name, running_mean: name, running_var: name, eps: { type: 'number', exclusiveMinimum: 0 } }),
      step('relu'),
      step('backbone', {
        architecture: name,
        torchvision: name,
        file: name,
        inChannels: { type: 'integer', minimum: 1 },
        output: { type: 'string', enum: ['features', 'logits'] },
      }),
      step('sigmoid'),
      step('threshold', { value: { type: 'number' } }),
      step('softmax', { axis: { const: 1 } }),
      step('argmax', { axis: { const: 1 } }),
    ],
  },
} as const satisfies JsonSchema;
