import { describe, expect, it } from 'vitest';
import { batchesOf, epochOrder } from '../../core/sampler/epoch-order.js';

describe('epochOrder', () => {
  it('is a permutation of 0..n-1', () => {
    const order = epochOrder(100, 7, 0);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it('depends only on (seed, epoch), so a resumed run sees the same order', () => {
    const first = [0, 1, 2, 3].map((e) => epochOrder(50, 3, e));
    // Resuming at epoch 2 without having drawn epochs 0 and 1.
    expect(epochOrder(50, 3, 2)).toEqual(first[2]);
    expect(new Set(first.map((o) => o.join()))).toHaveProperty('size', 4);
    expect(epochOrder(50, 4, 0)).not.toEqual(first[0]);
  });

  it('handles empty and single-item sets and refuses bad arguments', () => {
    expect(epochOrder(0, 1, 0)).toEqual([]);
    expect(epochOrder(1, 1, 5)).toEqual([0]);
    expect(() => epochOrder(-1, 1, 0)).toThrow(/n must/);
    expect(() => epochOrder(3, 1, 1.5)).toThrow(/epoch/);
  });
});

describe('batchesOf', () => {
  const order = [4, 2, 0, 1, 3, 6, 5];

  it('slices in order, keeping or dropping the short last batch', () => {
    expect(batchesOf(order, 3, false)).toEqual([[4, 2, 0], [1, 3, 6], [5]]);
    expect(batchesOf(order, 3, true)).toEqual([[4, 2, 0], [1, 3, 6]]);
    expect(batchesOf(order, 7, true)).toEqual([order]);
    expect(batchesOf([], 4, false)).toEqual([]);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => batchesOf(order, 0, false)).toThrow(/batchSize/);
  });
});
