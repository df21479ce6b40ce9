import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerTrainingGradients } from '../../core/backend/training-gradients.js';
import { batchNorm, batchNormSpecs, type BatchNormMode } from '../../core/models/batch-norm.js';
import { inputBlock, inputBlockSpecs, setInputBlockFrozen } from '../../core/models/input-block.js';
import { conv2d, convSpec, linear, linearSpecs } from '../../core/models/layers.js';
import { createParams } from '../../core/models/param-spec.js';
import { isBuffer, type ParamStore } from '../../core/models/params.js';
import { disposeAll, perturbBatchNorms, randomInput } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerTrainingGradients();
});

/**
 * A residual network in miniature built from the same pieces as the ResNet: input block, strided
 * padded conv, training-mode BatchNorm, ReLU, padded max pool, residual add, global average
 * pool, linear.
 */
function tinyNet(seed: number): ParamStore {
  const store = createParams(
    [
      ...inputBlockSpecs('s1'),
      convSpec('conv1.weight', 3, 3, 4, 'kaiming-fan-out'),
      ...batchNormSpecs('bn1', 4),
      convSpec('conv2.weight', 3, 4, 4, 'kaiming-fan-out'),
      ...batchNormSpecs('bn2', 4),
      ...linearSpecs('fc', 4, 3),
    ],
    seed,
  );
  perturbBatchNorms(store, seed + 1);
  return store;
}

function tinyForward(store: ParamStore, x: tf.Tensor4D, mode: BatchNormMode): tf.Tensor2D {
  let h = inputBlock(store, 's1', x, mode);
  h = tf.relu(batchNorm(store, 'bn1', conv2d(store, 'conv1.weight', h, 2, 1), mode));
  h = tf.maxPool(h, 3, 2, 1);
  const r = batchNorm(store, 'bn2', conv2d(store, 'conv2.weight', h, 1, 1), mode);
  h = tf.relu(tf.add(h, r) as tf.Tensor4D);
  return linear(store, 'fc', tf.mean(h, [1, 2]) as tf.Tensor2D);
}

const TRAIN_NO_STATS: BatchNormMode = { training: true, updateStats: false };

describe('gradients', () => {
  it('match central finite differences, BatchNorm in training mode', () => {
    const store = tinyNet(1);
    const x = randomInput([3, 9, 9, 2], 2);
    const probe = tf.tensor2d([[0.3, -1.2, 0.8], [1.1, 0.4, -0.6], [-0.9, 0.7, 0.2]]);
    const loss = () => tf.sum(tf.mul(tinyForward(store, x, TRAIN_NO_STATS), probe)) as tf.Scalar;

    const names = [...store.keys()].filter((n) => !isBuffer(n));
    const { grads } = tf.variableGrads(loss, names.map((n) => store.get(n)!));
    const byName = new Map(names.map((n) => [n, grads[store.get(n)!.name].dataSync()]));

    const h = 1e-3;
    let checked = 0;
    for (const name of names) {
      const v = store.get(name)!;
      const original = v.dataSync().slice();
      // A few entries of every parameter, including each BatchNorm weight and bias.
      for (const i of [0, Math.floor(original.length / 2), original.length - 1]) {
        const at = (delta: number): number => {
          const moved = original.slice();
          moved[i] += delta;
          v.assign(tf.tensor(moved, v.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor(original, v.shape));
        const analytic = byName.get(name)![i];
        expect(Math.abs(numeric - analytic), `${name}[${i}]: numeric ${numeric}, analytic ${analytic}`).toBeLessThan(
          2e-3 + 2e-2 * Math.abs(analytic),
        );
        checked++;
      }
    }
    expect(checked).toBe(3 * names.length);
    tf.dispose([x, probe, ...Object.values(grads)]);
    disposeAll(store);
  });

  it('leave a frozen input block out: no gradient, running statistics kept', () => {
    const store = tinyNet(3);
    setInputBlockFrozen(store, 's1', true);
    const x = randomInput([3, 9, 9, 2], 4);
    const runningMean = store.get('input.s1.bn.running_mean')!.dataSync().slice();
    const params = [...store.entries()].filter(([n]) => !isBuffer(n));
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tinyForward(store, x, { training: true, updateStats: true })) as tf.Scalar,
      params.map(([, v]) => v),
    );
    const withGradient = params.filter(([, v]) => grads[v.name] != null).map(([n]) => n);
    expect(withGradient).toEqual(params.map(([n]) => n).filter((n) => !n.startsWith('input.')));
    expect(Array.from(store.get('input.s1.bn.running_mean')!.dataSync())).toEqual(Array.from(runningMean));
    expect(store.get('bn1.running_mean')!.dataSync()).not.toEqual(runningMean.subarray(0, 0));
    tf.dispose([x, value, ...Object.values(grads)]);
    disposeAll(store);
  });
});
