import * as tf from '@tensorflow/tfjs-core';
import type { EncoderConfig, Encoder } from './encoder.js';
import type { BlockSensor } from '../common/training/model-options.js';
import { stageMode, type BackboneMode } from './resnet.js';
import { fuse } from '../sampler/pairs.js';
import type { SensorArrays } from '../sampler/tensor-source.js';
import type { ClassifierSpec, FinetuneInput } from '../common/training/finetune-config.js';

/** One batch of normalised patches; only the sensors the classifier reads are present. */
export interface ClassifierBatch {
  s2?: tf.Tensor4D;
  s1?: tf.Tensor4D;
}

export function inputSensors(input: FinetuneInput): BlockSensor[] {
  return input === 's1s2' ? ['s1', 's2'] : [input];
}

export function classifierEncoderConfig(spec: ClassifierSpec, freezeInputBlocks = false): EncoderConfig {
  const head = { kind: 'classifier', numClasses: spec.classes } as const;
  return spec.inputBlocks
    ? { depth: spec.depth, inputBlocks: inputSensors(spec.input), freezeInputBlocks, head }
    : { depth: spec.depth, inChannels: 12, head };
}

/** Tensors for the sensors `input` uses, from the sampler's host arrays. */
export function classifierBatch(arrays: SensorArrays, input: FinetuneInput): ClassifierBatch {
  const { n, size } = arrays;
  const batch: ClassifierBatch = {};
  if (input !== 's1') batch.s2 = tf.tensor4d(arrays.s2, [n, size, size, 10]);
  if (input !== 's2') batch.s1 = tf.tensor4d(arrays.s1, [n, size, size, 2]);
  return batch;
}

export function disposeBatch(batch: ClassifierBatch): void {
  tf.dispose([batch.s2, batch.s1].filter((t): t is tf.Tensor4D => t !== undefined));
}

/**
 * Logits [n, classes]. Without blocks the model sees the 12 fusion channels, an absent sensor
 * zero-filled as in the research. With blocks, each sensor goes through its own block; for s1s2
 * the two 3-channel outputs are summed: a 1x1 conv over the concatenated bands is the sum of
 * per-sensor 1x1 convs, and summing lets both pretrained blocks be reused as they are (here each
 * keeps its own BatchNorm and ReLU before the sum). The blocks take the stem's BatchNorm mode:
 * they feed it and are frozen whenever it is. Call inside tf.tidy or tf.variableGrads.
 */
export function classifierLogits(encoder: Encoder, spec: ClassifierSpec, batch: ClassifierBatch, mode: BackboneMode): tf.Tensor2D {
  if (!spec.inputBlocks) return encoder.forwardBackbone(fuse(batch.s2 ?? null, batch.s1 ?? null), mode);
  const parts = inputSensors(spec.input).map((sensor) => {
    const x = batch[sensor];
    if (!x) throw new Error(`classifier input ${spec.input} needs ${sensor} data in the batch`);
    return encoder.forwardInput(x, sensor, stageMode(mode, 'stem'));
  });
  return encoder.forwardBackbone(parts.length === 1 ? parts[0] : (tf.addN(parts) as tf.Tensor4D), mode);
}
