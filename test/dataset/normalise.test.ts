import { describe, expect, it } from 'vitest';
import { S2_10_INDICES } from '../../core/common/dataset/bands.js';
import { fusionInput, normaliseS1, normaliseS2, S1_STATS, S2_STATS } from '../../core/dataset/normalise.js';

describe('normaliseS2', () => {
  it('z-scores raw values once: the band mean maps to 0, mean + std to 1', () => {
    const b2 = S2_STATS[1];
    expect(b2).toMatchObject({ mean: 1226.4215, std: 741.6254, estimated: false });
    const [out] = normaliseS2([Float64Array.from([1226.4215, 1226.4215 + 741.6254, 0])], [1]);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(1, 6);
    expect(out[2]).toBeCloseTo(-1226.4215 / 741.6254, 5);
  });

  it('uses the official figures of the 10-band set and marks B1, B9, B10 as estimates', () => {
    expect(S2_STATS).toHaveLength(13);
    expect(S2_STATS.filter((s) => !s.estimated)).toHaveLength(10);
    S2_10_INDICES.forEach((i) => expect(S2_STATS[i].estimated).toBe(false));
    [0, 9, 10].forEach((i) => expect(S2_STATS[i].estimated).toBe(true));
    expect(S2_STATS[12]).toMatchObject({ mean: 1356.0801, std: 991.48016 });
  });

  it('normalises uint16 bands by their 13-band index', () => {
    const raw = Uint16Array.from([2002, 1356]);
    const [b11, b12] = normaliseS2([raw.subarray(0, 1), raw.subarray(1, 2)], [11, 12]);
    expect(b11[0]).toBeCloseTo((2002 - 2001.8622) / 1132.7898, 6);
    expect(b12[0]).toBeCloseTo((1356 - 1356.0801) / 991.48016, 6);
  });

  it('refuses mismatched or out-of-range band indices', () => {
    expect(() => normaliseS2([new Uint16Array(1)], [1, 2])).toThrow(RangeError);
    expect(() => normaliseS2([new Uint16Array(1)], [13])).toThrow(/outside 0..12/);
  });
});

describe('normaliseS1', () => {
  const [vv, vh] = S1_STATS;

  it('clips to [-25, 0] dB before the z-score, once', () => {
    const [out] = normaliseS1([Float32Array.from([vv.mean, -40, 5, -Infinity]), new Float32Array(4)]);
    expect(out[0]).toBeCloseTo(0, 6);
    expect(out[1]).toBeCloseTo((-25 - vv.mean) / vv.std, 6);
    expect(out[2]).toBeCloseTo((0 - vv.mean) / vv.std, 6);
    expect(out[3]).toBeCloseTo((-25 - vv.mean) / vv.std, 6);
  });

  it('reads NaN as the clip floor by default, or as the given value or the mean', () => {
    const nan = () => [Float32Array.from([NaN]), Float32Array.from([NaN])];
    const [d0, d1] = normaliseS1(nan());
    expect(d0[0]).toBeCloseTo((-25 - vv.mean) / vv.std, 6);
    expect(d1[0]).toBeCloseTo((-25 - vh.mean) / vh.std, 6);
    expect(normaliseS1(nan(), { fillNaN: 0 })[0][0]).toBeCloseTo((0 - vv.mean) / vv.std, 6);
    expect(normaliseS1(nan(), { fillNaN: 'mean' }).map((b) => b[0])).toEqual([0, 0]);
  });

  it('refuses anything but the two bands VV, VH', () => {
    expect(() => normaliseS1([new Float32Array(1)])).toThrow(/VV, VH/);
  });
});

describe('fusionInput', () => {
  const size = 4;
  const bands = (n: number, v: number) => Array.from({ length: n }, () => new Float32Array(size).fill(v));

  it('stacks 10 S2 then 2 S1 channels', () => {
    const out = fusionInput(bands(10, 1), bands(2, 2), size);
    expect(out.map((b) => b[0])).toEqual([...new Array(10).fill(1), 2, 2]);
  });

  it('zero-fills a missing sensor', () => {
    expect(fusionInput(undefined, bands(2, 2), size).map((b) => b[3])).toEqual([...new Array(10).fill(0), 2, 2]);
    expect(fusionInput(bands(10, 1), undefined, size).map((b) => b[3])).toEqual([...new Array(10).fill(1), 0, 0]);
  });

  it('refuses wrong band counts, sizes, or no sensor at all', () => {
    expect(() => fusionInput(bands(13, 1), undefined, size)).toThrow(/10 S2 bands/);
    expect(() => fusionInput(undefined, bands(2, 1), 5)).toThrow(/expected 5/);
    expect(() => fusionInput(undefined, undefined, size)).toThrow(RangeError);
  });
});
