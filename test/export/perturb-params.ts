import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../core/models/params.js';
import { Rng } from '../../core/util/rng.js';

/**
 * Fresh torchvision init leaves BatchNorm an identity (weight 1, bias 0, mean 0, var 1), which
 * would hide a wrong mapping of those vectors; give every one distinct plausible values.
 */
export function perturbBatchNorm(params: ParamStore, seed: number): void {
  const rng = new Rng(seed);
  for (const [name, v] of params) {
    if (v.rank !== 1) continue;
    const n = v.shape[0];
    const draw = (lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
    const values = name.endsWith('.running_var') ? draw(0.5, 2) : name.endsWith('.weight') ? draw(0.5, 1.5) : draw(-0.3, 0.3);
    tf.tidy(() => v.assign(tf.tensor1d(values)));
  }
}
