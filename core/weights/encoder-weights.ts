import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from '../formats/host-tensor.js';
import { Encoder, encoderParamSpecs, type EncoderConfig } from '../models/encoder.js';
import { isBuffer, type ParamStore } from '../models/params.js';
import { restoreParams } from './restore-params.js';

/**
 * An Encoder built straight from stored weights (a checkpoint or an exported model), without
 * first drawing an initialisation that would be overwritten (seconds for a ResNet-50). The names
 * and shapes must be exactly the config's: errors name `source` and the entries that differ.
 */
export function encoderFromWeights(config: EncoderConfig, values: ReadonlyMap<string, HostTensor>, source: string): Encoder {
  const params: ParamStore = new Map();
  try {
    for (const spec of encoderParamSpecs(config)) params.set(spec.name, tf.tidy(() => tf.variable(tf.zeros(spec.shape), !isBuffer(spec.name))));
    // restoreParams refuses missing or unexpected names and wrong shapes before assigning anything.
    restoreParams(params, values, source);
    return Encoder.fromParams(config, params);
  } catch (err) {
    for (const v of params.values()) v.dispose();
    throw err;
  }
}
