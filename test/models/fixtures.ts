/** Small shared pieces of the model tests: seeded inputs, comparisons, non-trivial BatchNorm state. */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

import type { ParamStore } from '../../core/models/params.js';
import { Rng } from '../../core/util/rng.js';

export function randomInput(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal());
  return tf.tensor4d(values, shape);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** BatchNorm affine values and running statistics moved off their identity init, so eval mode means something. */
export function perturbBatchNorms(params: ParamStore, seed: number): void {
  const rng = new Rng(seed);
  const ranges: Record<string, [number, number]> = {
    weight: [0.5, 1.5],
    bias: [-0.3, 0.3],
    running_mean: [-0.3, 0.3],
    running_var: [0.5, 2],
  };
  for (const [name, v] of params) {
    const field = name.slice(name.lastIndexOf('.') + 1);
    if (v.rank !== 1 || !ranges[field]) continue;
    const [lo, hi] = ranges[field];
    v.assign(tf.tensor1d(Float32Array.from({ length: v.size }, () => rng.uniform(lo, hi))));
  }
}

export function disposeAll(...stores: ParamStore[]): void {
  for (const store of stores) tf.dispose([...store.values()]);
}
