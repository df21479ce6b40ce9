import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { BN_EPS, EVAL, TRAIN } from '../../core/models/batch-norm.js';
import {
  inputBlock,
  inputBlockSpecs,
  isInputBlockFrozen,
  setInputBlockFrozen,
} from '../../core/models/input-block.js';
import { createParams } from '../../core/models/param-spec.js';
import { disposeAll, maxAbsDiff, perturbBatchNorms, randomInput } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('input block', () => {
  it('maps S2 (10 bands) and S1 (2 bands) to 3 channels under input.<sensor>.', () => {
    expect(inputBlockSpecs('s2').map((s) => [s.name, s.shape])).toEqual([
      ['input.s2.conv.weight', [1, 1, 10, 3]],
      ['input.s2.bn.weight', [3]],
      ['input.s2.bn.bias', [3]],
      ['input.s2.bn.running_mean', [3]],
      ['input.s2.bn.running_var', [3]],
    ]);
    expect(inputBlockSpecs('s1')[0]).toMatchObject({ name: 'input.s1.conv.weight', shape: [1, 1, 2, 3] });
  });

  it("starts its conv from PyTorch's default, U(+-1/sqrt(bands))", () => {
    const store = createParams(inputBlockSpecs('s2'), 1);
    const w = Array.from(store.get('input.s2.conv.weight')!.dataSync());
    const bound = 1 / Math.sqrt(10);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(bound / 2);
    disposeAll(store);
  });

  it('computes relu(bn(1x1 conv)) per pixel', () => {
    const store = createParams(inputBlockSpecs('s1'), 2);
    perturbBatchNorms(store, 3);
    const x = randomInput([2, 3, 3, 2], 4);
    const [w, gamma, beta, rm, rv] = ['conv.weight', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'].map(
      (n) => store.get(`input.s1.${n}`)!.dataSync(),
    );
    const xv = x.dataSync();
    const expected: number[] = [];
    for (let p = 0; p < xv.length / 2; p++) {
      for (let c = 0; c < 3; c++) {
        const conv = xv[2 * p] * w[c] + xv[2 * p + 1] * w[3 + c];
        expected.push(Math.max(0, ((conv - rm[c]) / Math.sqrt(rv[c] + BN_EPS)) * gamma[c] + beta[c]));
      }
    }
    const y = tf.tidy(() => inputBlock(store, 's1', x, EVAL));
    expect(y.shape).toEqual([2, 3, 3, 3]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    disposeAll(store);
  });

  it('refuses input with another band count, naming the sensor', () => {
    const store = createParams(inputBlockSpecs('s2'), 1);
    const x = randomInput([1, 4, 4, 2], 5);
    expect(() => inputBlock(store, 's2', x, EVAL)).toThrow(/input block s2 expects .*10 bands, got shape \[1,4,4,2\]/);
    x.dispose();
    disposeAll(store);
  });

  it('when frozen: weights not trainable, BatchNorm in eval mode even in training, statistics kept', () => {
    const store = createParams(inputBlockSpecs('s2'), 1);
    perturbBatchNorms(store, 6);
    setInputBlockFrozen(store, 's2', true);
    expect(isInputBlockFrozen(store, 's2')).toBe(true);
    expect([...store].filter(([, v]) => v.trainable)).toEqual([]);
    const x = randomInput([2, 4, 4, 10], 7);
    const runningMean = Array.from(store.get('input.s2.bn.running_mean')!.dataSync());
    const trained = tf.tidy(() => inputBlock(store, 's2', x, TRAIN));
    const evaluated = tf.tidy(() => inputBlock(store, 's2', x, EVAL));
    expect(maxAbsDiff(trained.dataSync(), evaluated.dataSync())).toBe(0);
    expect(Array.from(store.get('input.s2.bn.running_mean')!.dataSync())).toEqual(runningMean);

    setInputBlockFrozen(store, 's2', false);
    expect(store.get('input.s2.conv.weight')!.trainable).toBe(true);
    expect(store.get('input.s2.bn.running_var')!.trainable).toBe(false);
    tf.tidy(() => {
      inputBlock(store, 's2', x, TRAIN);
    });
    expect(maxAbsDiff(store.get('input.s2.bn.running_mean')!.dataSync(), runningMean)).toBeGreaterThan(0);
    tf.dispose([x, trained, evaluated]);
    disposeAll(store);
  });
});
