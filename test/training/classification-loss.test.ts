import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { bceWithLogits, softmaxCrossEntropy } from '../../core/training/classification-loss.js';
import { classProbabilities } from '../../core/inference/predict.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const logits = [
  [2.5, -1, 0, 40],
  [-60, 0.3, 1.2, -0.7],
];

describe('classification losses against hand computation (float64 in JS)', () => {
  it('BCE with logits: mean of -(z log s + (1 - z) log(1 - s)), stable for large logits', () => {
    const targets = [
      [1, 0, 1, 1],
      [0, 1, 0, 0],
    ];
    // log(sigmoid(x)) = -log(1 + e^-x), written per sign so neither side overflows.
    const logSig = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
    let sum = 0;
    logits.forEach((row, i) => row.forEach((x, k) => (sum -= targets[i][k] * logSig(x) + (1 - targets[i][k]) * logSig(-x))));
    const loss = bceWithLogits(tf.tensor2d(logits), tf.tensor2d(targets));
    expect(loss.dataSync()[0]).toBeCloseTo(sum / 8, 5);
  });

  it('softmax cross-entropy: mean of log-sum-exp minus the true logit', () => {
    const labels = [3, 1];
    let sum = 0;
    logits.forEach((row, i) => {
      const m = Math.max(...row);
      sum += m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0)) - row[labels[i]];
    });
    const loss = softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));
    expect(loss.dataSync()[0]).toBeCloseTo(sum / 2, 5);
  });

  it('probabilities: independent sigmoids for multi-label, a softmax summing to 1 for single-label', () => {
    const multi = classProbabilities(tf.tensor2d(logits), 'multi').arraySync();
    expect(multi[0][0]).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 6);
    expect(multi[1][2]).toBeCloseTo(1 / (1 + Math.exp(-1.2)), 6);
    const single = classProbabilities(tf.tensor2d(logits), 'single').arraySync();
    for (const row of single) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(single[1][2]).toBeGreaterThan(single[1][1]);
  });
});
