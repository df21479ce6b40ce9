import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { headForward, headOutputDim, headSpecs, MOCO_DIM, type HeadConfig } from '../../core/models/heads.js';
import { createParams } from '../../core/models/param-spec.js';
import type { ParamStore } from '../../core/models/params.js';
import { Rng } from '../../core/util/rng.js';
import { disposeAll, maxAbsDiff } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** x [n, in] times w [in, out] plus b, by plain loops. */
function dense(x: number[][], w: ArrayLike<number>, b: ArrayLike<number>, out: number): number[][] {
  return x.map((row) =>
    Array.from({ length: out }, (_, o) => row.reduce((s, v, i) => s + v * w[i * out + o], b[o])),
  );
}

function features(n: number, d: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

function get(store: ParamStore, name: string) {
  return store.get(name)!.dataSync();
}

describe('projection head (MoCo-v2 MLP)', () => {
  const head: HeadConfig = { kind: 'projection', dim: MOCO_DIM };

  it('is Linear(d, d) -> ReLU -> Linear(d, 128) named head.0 / head.2', () => {
    expect(headSpecs(head, 2048).map((s) => [s.name, s.shape])).toEqual([
      ['head.0.weight', [2048, 2048]],
      ['head.0.bias', [2048]],
      ['head.2.weight', [2048, 128]],
      ['head.2.bias', [128]],
    ]);
    expect(headOutputDim(head)).toBe(128);
  });

  it("starts weights and biases from torch's Linear init, U(+-1/sqrt(fan_in))", () => {
    const store = createParams(headSpecs(head, 64), 1);
    for (const name of ['head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias']) {
      const m = Math.max(...Array.from(get(store, name), Math.abs));
      expect(m, name).toBeLessThanOrEqual(1 / 8);
      expect(m, name).toBeGreaterThan(1 / 16);
    }
    disposeAll(store);
  });

  it('computes the MLP', () => {
    const d = 6;
    const small: HeadConfig = { kind: 'projection', dim: 4 };
    const store = createParams(headSpecs(small, d), 2);
    const x = features(3, d, 3);
    const hidden = dense(x, get(store, 'head.0.weight'), get(store, 'head.0.bias'), d).map((r) => r.map((v) => Math.max(0, v)));
    const expected = dense(hidden, get(store, 'head.2.weight'), get(store, 'head.2.bias'), 4).flat();
    const y = tf.tidy(() => headForward(store, small, tf.tensor2d(x)));
    expect(y.shape).toEqual([3, 4]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    y.dispose();
    disposeAll(store);
  });
});

describe('classifier head', () => {
  it('is fc = Linear(d, numClasses), giving logits', () => {
    const head: HeadConfig = { kind: 'classifier', numClasses: 10 };
    expect(headSpecs(head, 512).map((s) => [s.name, s.shape])).toEqual([
      ['fc.weight', [512, 10]],
      ['fc.bias', [10]],
    ]);
    const store = createParams(headSpecs(head, 5), 4);
    const x = features(2, 5, 5);
    const expected = dense(x, get(store, 'fc.weight'), get(store, 'fc.bias'), 10).flat();
    const y = tf.tidy(() => headForward(store, head, tf.tensor2d(x)));
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    y.dispose();
    disposeAll(store);
  });

  it('refuses a class count that is not a positive integer', () => {
    expect(() => headSpecs({ kind: 'classifier', numClasses: 0 }, 512)).toThrow(/classifier head: .*got 0/);
    expect(() => headSpecs({ kind: 'projection', dim: 1.5 }, 512)).toThrow(/projection head/);
  });
});
