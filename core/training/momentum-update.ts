import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../models/params.js';
import { fusedBlend } from '../backend/native-kernels/optimizer-kernels.js';

/**
 * MoCo's key encoder update: key = m * key + (1 - m) * query, for trainable parameters only.
 * BatchNorm running statistics are buffers, not parameters: as in the reference implementation
 * the key encoder keeps its own, updated by its forward passes.
 */
export function momentumUpdate(key: ParamStore, query: ParamStore, names: Iterable<string>, m: number): void {
  tf.tidy(() => {
    for (const name of names) {
      const k = key.get(name);
      const q = query.get(name);
      if (!k || !q) throw new Error(`momentum update: parameter "${name}" missing in ${k ? 'query' : 'key'} encoder`);
      k.assign(fusedBlend(k, q, m, 1 - m) ?? tf.add(tf.mul(k, m), tf.mul(q, 1 - m)));
    }
  });
}
