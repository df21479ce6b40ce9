import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { BN_EPS, batchNorm, batchNormSpecs, EVAL, TRAIN } from '../../core/models/batch-norm.js';
import { createParams } from '../../core/models/param-spec.js';
import type { ParamStore } from '../../core/models/params.js';
import { disposeAll, maxAbsDiff, randomInput } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const C = 3;

/** A BatchNorm with weight, bias and running statistics set to known, distinct values. */
function knownBatchNorm(): ParamStore {
  const store = createParams(batchNormSpecs('bn', C), 0);
  store.get('bn.weight')!.assign(tf.tensor1d([0.5, 1, 2]));
  store.get('bn.bias')!.assign(tf.tensor1d([0.1, -0.2, 0.3]));
  store.get('bn.running_mean')!.assign(tf.tensor1d([0.2, -0.1, 0]));
  store.get('bn.running_var')!.assign(tf.tensor1d([1.5, 0.5, 2]));
  return store;
}

/** Per channel of NHWC values: mean and biased variance, by plain loops. */
function channelStats(values: Float32Array, channels: number): { mean: number[]; biasedVar: number[]; n: number } {
  const n = values.length / channels;
  const mean = Array.from({ length: channels }, (_, c) => {
    let s = 0;
    for (let i = c; i < values.length; i += channels) s += values[i];
    return s / n;
  });
  const biasedVar = mean.map((m, c) => {
    let s = 0;
    for (let i = c; i < values.length; i += channels) s += (values[i] - m) ** 2;
    return s / n;
  });
  return { mean, biasedVar, n };
}

function vec(store: ParamStore, name: string): number[] {
  return Array.from(store.get(name)!.dataSync());
}

describe('batchNorm', () => {
  it('in training normalises with the batch mean and biased variance, then scales and shifts', () => {
    const store = knownBatchNorm();
    const x = tf.mul(randomInput([2, 3, 4, C], 1), 3);
    const xv = x.dataSync() as Float32Array;
    const { mean, biasedVar } = channelStats(xv, C);
    const w = vec(store, 'bn.weight');
    const b = vec(store, 'bn.bias');
    const expected = xv.map((v, i) => {
      const c = i % C;
      return ((v - mean[c]) / Math.sqrt(biasedVar[c] + BN_EPS)) * w[c] + b[c];
    });
    const y = tf.tidy(() => batchNorm(store, 'bn', x, TRAIN));
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    disposeAll(store);
  });

  it('moves running statistics by momentum 0.1 towards the batch mean and unbiased variance', () => {
    const store = knownBatchNorm();
    const before = { mean: vec(store, 'bn.running_mean'), var: vec(store, 'bn.running_var') };
    const x = randomInput([2, 3, 4, C], 2);
    const { mean, biasedVar, n } = channelStats(x.dataSync() as Float32Array, C);
    tf.tidy(() => {
      batchNorm(store, 'bn', x, TRAIN);
    });
    const expectedMean = before.mean.map((r, c) => 0.9 * r + 0.1 * mean[c]);
    const expectedVar = before.var.map((r, c) => 0.9 * r + 0.1 * biasedVar[c] * (n / (n - 1)));
    expect(maxAbsDiff(vec(store, 'bn.running_mean'), expectedMean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(vec(store, 'bn.running_var'), expectedVar)).toBeLessThan(1e-6);
    x.dispose();
    disposeAll(store);
  });

  it('keeps running statistics when told not to update them', () => {
    const store = knownBatchNorm();
    const x = randomInput([2, 3, 4, C], 3);
    tf.tidy(() => {
      batchNorm(store, 'bn', x, { training: true, updateStats: false });
    });
    expect(vec(store, 'bn.running_mean')).toEqual(Array.from(new Float32Array([0.2, -0.1, 0])));
    expect(vec(store, 'bn.running_var')).toEqual(Array.from(new Float32Array([1.5, 0.5, 2])));
    x.dispose();
    disposeAll(store);
  });

  it('in eval mode uses the running statistics and changes nothing', () => {
    const store = knownBatchNorm();
    const x = randomInput([1, 2, 2, C], 4);
    const rm = vec(store, 'bn.running_mean');
    const rv = vec(store, 'bn.running_var');
    const w = vec(store, 'bn.weight');
    const b = vec(store, 'bn.bias');
    const expected = Array.from(x.dataSync(), (v, i) => {
      const c = i % C;
      return ((v - rm[c]) / Math.sqrt(rv[c] + BN_EPS)) * w[c] + b[c];
    });
    const y = tf.tidy(() => batchNorm(store, 'bn', x, EVAL));
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    expect(vec(store, 'bn.running_mean')).toEqual(rm);
    tf.dispose([x, y]);
    disposeAll(store);
  });

  it('refuses batch statistics over a single value per channel, as torch does', () => {
    const store = knownBatchNorm();
    const x = randomInput([1, 1, 1, C], 5);
    expect(() => tf.tidy(() => batchNorm(store, 'bn', x, TRAIN))).toThrow(/bn: .*more than one value per channel, got 1/);
    x.dispose();
    disposeAll(store);
  });

  it('names a missing entry', () => {
    const x = randomInput([1, 2, 2, C], 6);
    expect(() => batchNorm(new Map(), 'layer1.0.bn1', x, EVAL)).toThrow(/missing parameter layer1\.0\.bn1\.weight/);
    x.dispose();
  });
});
