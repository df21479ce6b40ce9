import { describe, expect, it } from 'vitest';
import { weightedSum } from '../../../core/training/parallel/weighted-sum.js';

describe('weightedSum', () => {
  it('sums weighted parts element by element, for two parts and for more', () => {
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([10, 20, 30]);
    const c = Float32Array.from([-4, 0, 4]);
    expect(Array.from(weightedSum([a, b], [0.25, 0.75], new Float32Array(3)))).toEqual([7.75, 15.5, 23.25]);
    expect(Array.from(weightedSum([a, b, c], [0.5, 0.25, 0.25], new Float32Array(3)))).toEqual([2, 6, 10]);
  });

  it('returns a single part with weight 1 unchanged, bit for bit', () => {
    const a = Float32Array.from([Math.PI, -1e-30, 3.4e38, 1 / 3]);
    expect(weightedSum([a], [1], new Float32Array(4))).toEqual(a);
  });

  it('refuses parts and weights that do not match', () => {
    const a = new Float32Array(3);
    expect(() => weightedSum([a], [0.5, 0.5], new Float32Array(3))).toThrow(/1 parts and 2 weights/);
    expect(() => weightedSum([a, new Float32Array(2)], [0.5, 0.5], new Float32Array(3))).toThrow(/part 1 has 2 values, expected 3/);
  });
});
