import { describe, expect, it } from 'vitest';
import {
  IGBP_CLASSES,
  SIMPLIFIED_CLASSES,
  igbpFractions,
  multiLabel,
  simplifiedFractions,
  singleLabel,
} from '../../../core/common/dataset/labels.js';
import { Rng } from '../../../core/util/rng.js';

/** A band with `count` pixels of each given value. */
function band(...runs: [value: number, count: number][]): Uint8Array {
  return Uint8Array.from(runs.flatMap(([v, n]) => new Array<number>(n).fill(v)));
}

describe('class tables', () => {
  it('has 17 IGBP and 10 simplified classes', () => {
    expect(IGBP_CLASSES).toHaveLength(17);
    expect(IGBP_CLASSES[16]).toBe('Water Bodies');
    expect(SIMPLIFIED_CLASSES).toEqual([
      'Forest', 'Shrubland', 'Savanna', 'Grassland', 'Wetlands', 'Croplands', 'Urban/Built-up', 'Snow/Ice', 'Barren', 'Water',
    ]);
  });
});

describe('igbpFractions', () => {
  it('counts classes 1..17 over valid pixels only, ignoring 0 and 255', () => {
    const f = igbpFractions(band([1, 2], [2, 1], [17, 3], [0, 5], [255, 7], [18, 1]));
    expect(f).toHaveLength(17);
    expect(f[0]).toBeCloseTo(2 / 6, 15);
    expect(f[1]).toBeCloseTo(1 / 6, 15);
    expect(f[16]).toBeCloseTo(3 / 6, 15);
    expect(f.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('counts every pixel whatever the length and the runs (one-by-one count as reference)', () => {
    const rng = new Rng(5);
    // Runs of one value, as land cover comes, over all byte values; lengths around multiples of 4.
    for (const length of [1, 2, 3, 5, 6, 7, 65_537]) {
      const band1 = new Uint8Array(length);
      for (let i = 0; i < length; ) {
        const run = 1 + rng.int(40);
        band1.fill(rng.int(256), i, i + run);
        i += run;
      }
      const counts = new Array<number>(17).fill(0);
      let valid = 0;
      for (const v of band1) {
        if (v >= 1 && v <= 17) {
          counts[v - 1]++;
          valid++;
        }
      }
      const f = igbpFractions(band1);
      f.forEach((x, i) => expect(x).toBe(valid === 0 ? 0 : counts[i] / valid));
    }
  });

  it('gives all zeros when no pixel is valid', () => {
    expect(igbpFractions(band([0, 4], [255, 4]))).toEqual(new Array(17).fill(0));
    expect(igbpFractions(new Uint8Array(0))).toEqual(new Array(17).fill(0));
  });
});

describe('simplifiedFractions', () => {
  it('merges IGBP classes by the official table', () => {
    // One pixel per IGBP class 1..17 plus a second water pixel: 18 valid pixels.
    const f = simplifiedFractions(igbpFractions(band(...Array.from({ length: 17 }, (_, i): [number, number] => [i + 1, 1]), [17, 1])));
    const n = 18;
    const expected = [5, 2, 2, 1, 1, 2, 1, 1, 1, 2].map((c) => c / n);
    f.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('adds merged fractions before thresholding: two 6% shrublands make a 12% Shrubland label', () => {
    const igbp = igbpFractions(band([6, 6], [7, 6], [10, 88]));
    expect(multiLabel(igbp)).toEqual([10]);
    const simple = simplifiedFractions(igbp);
    expect(simple[1]).toBeCloseTo(0.12, 12);
    expect(multiLabel(simple)).toEqual([2, 4]);
  });

  it('puts croplands 12 and mosaic 14 together and urban 13 apart', () => {
    const simple = simplifiedFractions(igbpFractions(band([12, 3], [14, 3], [13, 4])));
    expect(simple[5]).toBeCloseTo(0.6, 12);
    expect(simple[6]).toBeCloseTo(0.4, 12);
    expect(singleLabel(simple)).toBe(6);
  });

  it('refuses a vector that is not 17 long', () => {
    expect(() => simplifiedFractions([1, 0])).toThrow(/17 IGBP fractions/);
  });
});

describe('singleLabel', () => {
  it('returns the 1-based arg-max, the lower class on ties', () => {
    expect(singleLabel([0.1, 0.7, 0.2])).toBe(2);
    expect(singleLabel([0.4, 0.2, 0.4])).toBe(1);
    expect(singleLabel([0.2, 0.4, 0.4])).toBe(2);
  });
});

describe('multiLabel', () => {
  it('keeps a class exactly at the threshold and drops one just below it', () => {
    const f = igbpFractions(band([1, 1], [2, 9]));
    expect(f[0]).toBe(0.1);
    expect(multiLabel(f)).toEqual([1, 2]);
    expect(multiLabel([0.0999999, 0.9000001])).toEqual([2]);
  });

  it('returns classes ascending and honours another threshold', () => {
    expect(multiLabel([0.3, 0, 0.05, 0.65])).toEqual([1, 4]);
    expect(multiLabel([0.3, 0, 0.05, 0.65], 0.5)).toEqual([4]);
    expect(multiLabel(new Array(10).fill(0))).toEqual([]);
  });
});
