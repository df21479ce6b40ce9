import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { infoNce, l2Normalize } from '../../core/training/info-nce.js';
import { Rng } from '../../core/util/rng.js';

function randomRows(rng: Rng, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('InfoNCE', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('equals -log softmax of the positive, computed directly', () => {
    const rng = new Rng(7);
    const [n, d, K, T] = [5, 8, 12, 0.2];
    const q = randomRows(rng, n, d);
    const k = randomRows(rng, n, d);
    const queue = randomRows(rng, K, d);
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const logits = [dot(q[i], k[i]) / T, ...queue.map((r) => dot(q[i], r) / T)];
      const max = Math.max(...logits);
      const lse = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
      expected += lse - logits[0];
    }
    expected /= n;
    const loss = infoNce(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(queue), T);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 4);
  });

  it('is lower when the key matches the query than when it does not', () => {
    const rng = new Rng(3);
    const q = tf.tensor2d(randomRows(rng, 4, 16));
    const queue = tf.tensor2d(randomRows(rng, 32, 16));
    const matched = infoNce(q, q, queue, 0.2).dataSync()[0];
    const unmatched = infoNce(q, tf.tensor2d(randomRows(rng, 4, 16)), queue, 0.2).dataSync()[0];
    expect(matched).toBeLessThan(unmatched);
  });

  it('normalises rows to unit length', () => {
    const x = l2Normalize(tf.tensor2d([[3, 4], [0, 0.5]]));
    expect(Array.from(x.dataSync())).toEqual([0.6000000238418579, 0.800000011920929, 0, 1]);
  });
});
