import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyQueue } from '../../core/training/key-queue.js';

const rows = (q: KeyQueue) => (q.keys.arraySync() as number[][]).map((r) => r[0]);

describe('KeyQueue', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('overwrites the oldest keys first and wraps around', () => {
    const q = new KeyQueue(5, 1, new Float32Array(5).fill(-1));
    q.enqueue(tf.tensor2d([[1], [2]]));
    expect(rows(q)).toEqual([1, 2, -1, -1, -1]);
    q.enqueue(tf.tensor2d([[3], [4]]));
    expect(rows(q)).toEqual([1, 2, 3, 4, -1]);
    q.enqueue(tf.tensor2d([[5], [6], [7]]));
    // 5 fills the last slot, 6 and 7 replace the two oldest (1 and 2).
    expect(rows(q)).toEqual([6, 7, 3, 4, 5]);
    expect(q.pointer()).toBe(2);
  });

  it('restores contents and pointer', () => {
    const q = new KeyQueue(3, 2, new Float32Array(6));
    q.restore(tf.tensor2d([[1, 1], [2, 2], [3, 3]]), 1);
    q.enqueue(tf.tensor2d([[9, 9]]));
    expect(q.keys.arraySync()).toEqual([[1, 1], [9, 9], [3, 3]]);
    expect(() => q.restore(tf.zeros([2, 2]), 0)).toThrow(/shape/);
    expect(() => q.restore(tf.zeros([3, 2]), 3)).toThrow(/pointer/);
  });

  it('keeps the tensor count flat', () => {
    const q = new KeyQueue(8, 4, new Float32Array(32));
    const k = tf.ones([3, 4]) as tf.Tensor2D;
    q.enqueue(k);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) q.enqueue(k);
    expect(tf.memory().numTensors).toBe(before);
  });
});
