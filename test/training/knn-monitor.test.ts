import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KNN_TEMPERATURE, knnPredict } from '../../core/training/knn-monitor.js';
import { Rng } from '../../core/util/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function unitRows(n: number, d: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

/** The vote written out plainly: sort every bank row by similarity, weight the top k. */
function bruteForce(bank: number[][], labels: number[], queries: number[][], k: number, classes: number): number[] {
  return queries.map((q) => {
    const sims = bank.map((b, i) => ({ i, s: b.reduce((acc, x, j) => acc + x * q[j], 0) })).sort((a, b) => b.s - a.s);
    const votes = new Array<number>(classes).fill(0);
    for (const { i, s } of sims.slice(0, k)) votes[labels[i]] += Math.exp(s / KNN_TEMPERATURE);
    return votes.indexOf(Math.max(...votes));
  });
}

describe('knnPredict', () => {
  it('equals the weighted k-NN vote computed by brute force', () => {
    const rng = new Rng(9);
    const bank = unitRows(60, 8, rng);
    const labels = bank.map(() => rng.int(4));
    const queries = unitRows(25, 8, rng);
    for (const k of [1, 5, 20]) {
      const got = knnPredict(tf.tensor2d(bank), Int32Array.from(labels), tf.tensor2d(queries), k, 4);
      expect(Array.from(got), `k=${k}`).toEqual(bruteForce(bank, labels, queries, k, 4));
    }
  });

  it('labels a query by its cluster when the features separate the classes', () => {
    const rng = new Rng(4);
    const centre = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const near = (c: number) => {
      const v = centre[c].map((x) => x + 0.05 * rng.normal());
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const labels = Array.from({ length: 30 }, (_, i) => i % 3);
    const truth = [2, 0, 1, 1, 2];
    const got = knnPredict(tf.tensor2d(labels.map(near)), Int32Array.from(labels), tf.tensor2d(truth.map(near)), 5, 3);
    expect(Array.from(got)).toEqual(truth);
  });
});
