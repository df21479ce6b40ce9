import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/util/rng.js';
import { onBackend, randomValues, relativeMaxDiff, startWasmAndCpu } from './two-backends.js';

const rng = new Rng(23);
const INPUT: [number, number, number, number] = [4, 10, 10, 3];
const X = randomValues(rng, INPUT.reduce((a, b) => a * b));
const WEIGHTS: Record<string, { shape: number[]; values: Float32Array }> = {};
for (const [name, shape, scale] of [
  ['conv', [3, 3, 3, 8], 0.3],
  ['gamma', [8], 0.2],
  ['beta', [8], 0.2],
  ['dense', [8 * 5 * 5, 5], 0.1],
] as const) {
  WEIGHTS[name] = { shape: [...shape], values: randomValues(rng, shape.reduce((a: number, b: number) => a * b), scale) };
}
const LABELS = [0, 3, 1, 4];

/** conv -> batch norm (batch statistics) -> relu -> max pool -> dense -> softmax cross-entropy. */
function networkGradients(): tf.Tensor[] {
  const vars = Object.fromEntries(
    Object.entries(WEIGHTS).map(([name, w]) => [name, tf.variable(tf.tensor(w.values, w.shape), true, `${name}-${tf.getBackend()}`)]),
  );
  const x = tf.tensor4d(X, INPUT);
  const labels = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 5);
  const { grads } = tf.variableGrads(() => {
    const y = tf.conv2d(x, vars.conv as tf.Variable<tf.Rank.R4>, 1, 'same');
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    const h = tf.maxPool(tf.relu(tf.batchNorm(y, mean, variance, vars.beta, vars.gamma, 1e-3)) as tf.Tensor4D, 2, 2, 'valid');
    const logits = tf.matMul(tf.reshape(h, [INPUT[0], -1]), vars.dense as tf.Variable<tf.Rank.R2>);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  }, Object.values(vars));
  const out = Object.values(vars).map((v) => grads[v.name]);
  Object.values(vars).forEach((v) => v.dispose());
  return out;
}

describe('a tiny conv/bn/relu/pool/dense network', () => {
  beforeAll(startWasmAndCpu);

  it('has the same full gradient on wasm as on cpu', () => {
    const cpu = onBackend('cpu', networkGradients);
    const wasm = onBackend('wasm', networkGradients);
    expect(cpu).toHaveLength(Object.keys(WEIGHTS).length);
    cpu.forEach((g, i) => {
      expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0);
      expect(relativeMaxDiff(g, wasm[i])).toBeLessThanOrEqual(1e-4);
    });
  });
});
