import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PairBatch } from '../../../core/sampler/pairs.js';
import { gatherKeys, hostShares, rowRanges, shareRows, viewRows } from '../../../core/training/parallel/shares.js';

/** A [n, 1, 1, 2] view whose row r holds [base + r, -(base + r)], so every row says where it came from. */
function marked(n: number, base: number): tf.Tensor4D {
  const v = Array.from({ length: n }, (_, r) => [base + r, -(base + r)]).flat();
  return tf.tensor4d(v, [n, 1, 1, 2]);
}

describe('row shares of a pair batch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('cuts rows into contiguous ranges that cover them once, longer ranges first', () => {
    for (const [n, parts] of [
      [4, 2],
      [5, 2],
      [7, 3],
      [2, 4],
    ]) {
      const ranges = rowRanges(n, parts);
      expect(ranges).toHaveLength(parts);
      let next = 0;
      for (const r of ranges) {
        expect(r.start).toBe(next);
        next += r.count;
      }
      expect(next).toBe(n);
      const counts = ranges.map((r) => r.count);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    }
  });

  it('gives each worker its rows of every view, values intact', async () => {
    // Two views as sensor pairs make them: 3 rows, then 2 rows.
    const pairs: PairBatch = {
      q: [{ input: 's2', x: marked(3, 0) }, { input: 's1', x: marked(2, 100) }],
      k: [{ input: 's1', x: marked(3, 10) }, { input: 's2', x: marked(2, 110) }],
    };
    expect(viewRows(pairs)).toEqual([3, 2]);
    const shares = await hostShares(pairs, 2);
    expect(shares.map(shareRows)).toEqual([3, 2]);
    const firstColumn = (v: { values: Float32Array }) => Array.from(v.values.filter((_, i) => i % 2 === 0));
    expect(shares[0].q.map((v) => [v.input, ...firstColumn(v)])).toEqual([['s2', 0, 1], ['s1', 100]]);
    expect(shares[1].q.map((v) => [v.input, ...firstColumn(v)])).toEqual([['s2', 2], ['s1', 101]]);
    expect(shares[0].k.map((v) => [v.input, ...firstColumn(v)])).toEqual([['s1', 10, 11], ['s2', 110]]);
    expect(shares[1].k[0].shape).toEqual([1, 1, 1, 2]);
    expect(Array.from(shares[1].k[0].values)).toEqual([12, -12]);
    tf.dispose([...pairs.q, ...pairs.k].map((v) => v.x));
  });

  it('leaves out a view a worker has no rows of', async () => {
    const pairs: PairBatch = { q: [{ input: 'fusion', x: marked(3, 0) }, { input: 'fusion', x: marked(1, 5) }], k: [{ input: 'fusion', x: marked(3, 0) }, { input: 'fusion', x: marked(1, 5) }] };
    const shares = await hostShares(pairs, 2);
    expect(shares[0].q.map((v) => v.shape[0])).toEqual([2, 1]);
    expect(shares[1].q.map((v) => v.shape[0])).toEqual([1]);
    tf.dispose([...pairs.q, ...pairs.k].map((v) => v.x));
  });

  it('refuses views that do not align and batches smaller than the worker count', async () => {
    const a = marked(3, 0);
    const b = marked(2, 0);
    expect(() => viewRows({ q: [{ input: 'fusion', x: a }], k: [{ input: 'fusion', x: b }] })).toThrow(/query view 0 has 3 rows but key view 0 has 2/);
    expect(() => viewRows({ q: [{ input: 'fusion', x: a }], k: [] })).toThrow(/1 query views and 0 key views/);
    await expect(hostShares({ q: [{ input: 'fusion', x: b }], k: [{ input: 'fusion', x: b }] }, 3)).rejects.toThrow(/2 rows cannot be split over 3 workers/);
    tf.dispose([a, b]);
  });

  it('puts the keys back in the batch row order, view by view', () => {
    // Views of 3 and 2 rows over 2 workers: worker 0 holds rows 0,1 | 3; worker 1 holds row 2 | 4.
    const dim = 2;
    const row = (r: number) => [r, r + 0.5];
    const worker0 = Float32Array.from([...row(0), ...row(1), ...row(3)]);
    const worker1 = Float32Array.from([...row(2), ...row(4)]);
    expect(Array.from(gatherKeys([worker0, worker1], [3, 2], dim))).toEqual([0, 1, 2, 3, 4].flatMap(row));
  });
});
