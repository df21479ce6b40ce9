import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { percentileRange, stretchOptions, stretchValue } from '../../../core/common/preview/stretch.js';
import { Rng } from '../../../core/util/rng.js';

const numpyAvailable = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** 2,000 values from a skewed distribution with ~10% NaN. */
function randomValues(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 2000 }, () => (rng.next() < 0.1 ? Number.NaN : Math.exp(rng.normal()) * 1000));
}

describe('percentileRange', () => {
  it('gives the exact percentiles where they fall on a value', () => {
    const values = Float32Array.from({ length: 101 }, (_, k) => 100 - k); // 100..0, unsorted order
    expect(percentileRange(values, 2, 98)).toEqual({ min: 2, max: 98 });
    expect(percentileRange(values, 0, 100)).toEqual({ min: 0, max: 100 });
    expect(percentileRange([1, 2, 3, 4], 50, 100)).toEqual({ min: 2.5, max: 4 });
  });

  it('ignores NaN and brackets each percentile between the ranks around it', () => {
    const values = randomValues(7);
    const valid = Array.from(values).filter((v) => !Number.isNaN(v));
    for (const p of [0, 2, 37.5, 98, 100]) {
      const { min: at } = percentileRange(values, p, 100);
      const pos = (p / 100) * (valid.length - 1);
      // At least floor(pos)+1 values are <= it, at most ceil(pos) are below it.
      expect(valid.filter((v) => v <= at).length).toBeGreaterThanOrEqual(Math.floor(pos) + 1);
      expect(valid.filter((v) => v < at).length).toBeLessThanOrEqual(Math.ceil(pos));
    }
  });

  it('gives NaN for no valid value', () => {
    expect(percentileRange([Number.NaN, Number.NaN], 2, 98)).toEqual({ min: Number.NaN, max: Number.NaN });
  });

  it.skipIf(!numpyAvailable)('matches numpy.nanpercentile on random data with NaN (needs /usr/bin/python3 with numpy)', () => {
    const values = randomValues(11);
    const ps = [0, 1, 2, 25, 50, 90, 98, 99.5];
    const out = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import json, sys, numpy as np; d = json.load(sys.stdin); print(json.dumps(np.nanpercentile(np.array(d["v"], dtype=np.float64), d["p"]).tolist()))'],
      { input: JSON.stringify({ v: Array.from(values, (v) => (Number.isNaN(v) ? null : v)), p: ps }), encoding: 'utf8' },
    );
    expect(out.status, out.stderr).toBe(0);
    const reference = JSON.parse(out.stdout) as number[];
    ps.forEach((p, k) => expect(percentileRange(values, p, 100).min).toBeCloseTo(reference[k], 6));
  });
});

describe('stretchValue', () => {
  const range = { min: 100, max: 300 };

  it('maps the range linearly onto [0, 1] and clamps outside it', () => {
    expect(stretchValue(100, range, 1)).toBe(0);
    expect(stretchValue(150, range, 1)).toBe(0.25);
    expect(stretchValue(300, range, 1)).toBe(1);
    expect(stretchValue(-5, range, 1)).toBe(0);
    expect(stretchValue(1e6, range, 1)).toBe(1);
  });

  it('applies t^(1/gamma): gamma 2 brightens, 0.5 darkens, the ends stay put', () => {
    expect(stretchValue(150, range, 2)).toBeCloseTo(0.5, 12);
    expect(stretchValue(150, range, 0.5)).toBeCloseTo(0.0625, 12);
    expect(stretchValue(300, range, 2)).toBe(1);
    expect(stretchValue(100, range, 0.5)).toBe(0);
  });

  it('shows a flat range as mid grey', () => {
    expect(stretchValue(5, { min: 5, max: 5 }, 1)).toBe(0.5);
  });
});

describe('stretchOptions', () => {
  it('fills the defaults 2 / 98 / 1', () => {
    expect(stretchOptions()).toEqual({ low: 2, high: 98, gamma: 1 });
    expect(stretchOptions({ low: 5, gamma: undefined })).toEqual({ low: 5, high: 98, gamma: 1 });
  });

  it('names the bad field', () => {
    expect(() => stretchOptions({ low: -1 })).toThrow(/^low/);
    expect(() => stretchOptions({ high: 101 })).toThrow(/^high/);
    expect(() => stretchOptions({ low: 60, high: 40 })).toThrow(/low \(60\) must be below high/);
    expect(() => stretchOptions({ gamma: 0 })).toThrow(/^gamma/);
    expect(() => stretchOptions({ gamma: Number.NaN })).toThrow(/^gamma/);
  });
});
