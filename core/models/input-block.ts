import { relu, type Tensor4D } from '@tensorflow/tfjs-core';

import { batchNorm, batchNormSpecs, EVAL, type BatchNormMode } from './batch-norm.js';
import { conv2d, convSpec } from './layers.js';
import type { ParamSpec } from './param-spec.js';
import { requireParam, type ParamStore } from './params.js';
import type { BlockSensor } from '../common/training/model-options.js';

/**
 * The research's per-sensor input block: conv1x1 (no bias) -> BatchNorm -> ReLU, mapping a
 * sensor's bands to the 3 channels an ImageNet-shaped backbone expects. Names sit under
 * `input.<sensor>.` ("input.s2.conv.weight", "input.s2.bn.running_mean").
 */


/** Bands a block takes: S1 VV+VH, S2's ten 10/20 m bands (SEN12MS-FACTS, normalisation). */
export const SENSOR_BANDS: Record<BlockSensor, number> = { s1: 2, s2: 10 };
export const BLOCK_OUT_CHANNELS = 3;

export function inputBlockPrefix(sensor: BlockSensor): string {
  return `input.${sensor}`;
}

/** The conv is a plain nn.Conv2d in the research code, so it keeps PyTorch's default init. */
export function inputBlockSpecs(sensor: BlockSensor): ParamSpec[] {
  const prefix = inputBlockPrefix(sensor);
  return [
    convSpec(`${prefix}.conv.weight`, 1, SENSOR_BANDS[sensor], BLOCK_OUT_CHANNELS, 'torch-default'),
    ...batchNormSpecs(`${prefix}.bn`, BLOCK_OUT_CHANNELS),
  ];
}

/**
 * A frozen block is left out of training: its weights are non-trainable variables (so
 * tf.variableGrads skips them) and its BatchNorm uses the running statistics and keeps them.
 * The flag lives on the variables themselves, so copies of the store carry it.
 */
export function setInputBlockFrozen(store: ParamStore, sensor: BlockSensor, frozen: boolean): void {
  const prefix = inputBlockPrefix(sensor);
  for (const name of ['conv.weight', 'bn.weight', 'bn.bias']) requireParam(store, `${prefix}.${name}`).trainable = !frozen;
}

export function isInputBlockFrozen(store: ParamStore, sensor: BlockSensor): boolean {
  return !requireParam(store, `${inputBlockPrefix(sensor)}.conv.weight`).trainable;
}

/** NHWC with the sensor's bands -> NHWC with 3 channels. */
export function inputBlock(store: ParamStore, sensor: BlockSensor, x: Tensor4D, mode: BatchNormMode): Tensor4D {
  const bands = SENSOR_BANDS[sensor];
  if (x.rank !== 4 || x.shape[3] !== bands) {
    throw new Error(`input block ${sensor} expects NHWC input with ${bands} bands, got shape [${x.shape}]`);
  }
  const prefix = inputBlockPrefix(sensor);
  const blockMode = isInputBlockFrozen(store, sensor) ? EVAL : mode;
  return relu(batchNorm(store, `${prefix}.bn`, conv2d(store, `${prefix}.conv.weight`, x, 1, 0), blockMode));
}
