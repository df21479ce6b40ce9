import { describe, expect, it } from 'vitest';
import { cssHex, IGBP_MODIS_PALETTE, IGBP_SAFE_PALETTE, hexColours } from '../../../core/common/preview/palettes.js';
import { renderComposite } from '../../../core/common/preview/render.js';
import { makeBands, pixel } from './fixtures.js';

const dB = [
  { min: -25, max: 0 },
  { min: -25, max: 0 },
  { min: 0, max: 20 },
];

describe('S1 composites', () => {
  const vv = [-10, Number.NaN, -5, -20];
  const vh = [-18, -15, Number.NaN, -22];
  const s1 = makeBands('s1', 4, 1, (band, x) => (band === 'VV' ? vv[x] : vh[x]));

  it('VV/VH composite: R = VV, G = VH, B = VV - VH (the ratio in dB)', () => {
    const out = renderComposite(s1, 's1-vv-vh-ratio', { ranges: dB });
    expect(pixel(out.rgba, 4, 0, 0)).toEqual([Math.round(255 * (15 / 25)), Math.round(255 * (7 / 25)), Math.round(255 * (8 / 20)), 255]);
    expect(pixel(out.rgba, 4, 3, 0)).toEqual([Math.round(255 * (5 / 25)), Math.round(255 * (3 / 25)), Math.round(255 * (2 / 20)), 255]);
  });

  it('a NaN in any band the composite reads makes the pixel transparent, and only then', () => {
    expect(renderComposite(s1, 's1-vv-vh-ratio', { ranges: dB }).rgba.filter((_, k) => k % 4 === 3)).toEqual(
      Uint8ClampedArray.from([255, 0, 0, 255]),
    );
    expect(renderComposite(s1, 's1-vv').rgba.filter((_, k) => k % 4 === 3)).toEqual(Uint8ClampedArray.from([255, 0, 255, 255]));
    expect(renderComposite(s1, 's1-vh').rgba.filter((_, k) => k % 4 === 3)).toEqual(Uint8ClampedArray.from([255, 255, 0, 255]));
  });

  it('grey: one percentile range over the valid values, the same byte in R, G and B', () => {
    const out = renderComposite(s1, 's1-vv', { low: 0, high: 100 });
    expect(out.ranges).toEqual([{ min: -20, max: -5 }]);
    expect(pixel(out.rgba, 4, 0, 0)).toEqual([170, 170, 170, 255]); // (-10 + 20) / 15 = 2/3
  });

  it('gamma 2 lifts the middle of the range: t^(1/2)', () => {
    const out = renderComposite(s1, 's1-vv', { ranges: [{ min: -20, max: 0 }], gamma: 2 });
    expect(pixel(out.rgba, 4, 0, 0)[0]).toBe(Math.round(255 * Math.sqrt(0.5)));
    expect(pixel(out.rgba, 4, 3, 0)[0]).toBe(0);
  });
});

describe('S2 no data', () => {
  it('a 0 (the L1C fill value) in a band read makes the pixel transparent', () => {
    const s2 = makeBands('s2', 2, 1, (band, x) => (band === 'B3' && x === 1 ? 0 : 1000 + x));
    const out = renderComposite(s2, 's2-true-colour');
    expect(out.rgba[3]).toBe(255);
    expect(out.rgba[7]).toBe(0);
    expect(renderComposite(s2, 's2-swir').rgba[7]).toBe(255); // SWIR does not read B3
  });
});

describe('NDVI', () => {
  // B8, B4 per pixel: NDVI near -1, 0, near +1, and B4 missing.
  const pairs = [
    [1, 10000],
    [3000, 3000],
    [10000, 1],
    [5000, 0],
  ];
  const s2 = makeBands('s2', 4, 1, (band, x) => (band === 'B8' ? pairs[x][0] : pairs[x][1]), ['B4', 'B8']);
  const out = renderComposite(s2, 's2-ndvi');

  it('maps [-1, 1] onto BrBG: the ends are its brown and blue-green, 0 is its white middle; the colour bar says so', () => {
    const [brown, blueGreen, white] = hexColours('543005003c30f5f5f5');
    expect(out.ranges).toEqual([{ min: -1, max: 1 }]);
    expect(out.colourBar).toEqual({ ramp: 'brbg', quantity: 'NDVI', unit: '', min: -1, max: 1 });
    const near = (x: number, rgb: readonly number[]) =>
      pixel(out.rgba, 4, x, 0)
        .slice(0, 3)
        .forEach((c, k) => expect(Math.abs(c - rgb[k])).toBeLessThanOrEqual(1));
    near(0, brown);
    near(2, blueGreen);
    near(1, white);
  });

  it('is transparent where B4 or B8 is no data', () => {
    expect(pixel(out.rgba, 4, 3, 0)[3]).toBe(0);
  });
});

describe('LC IGBP classes', () => {
  const values = [0, 1, 12, 12, 17, 200];
  const lc = makeBands('lc', 6, 1, (_, x) => values[x], ['IGBP']);

  it('colours each class from the safe palette by default, leaves no-class and out-of-range values transparent', () => {
    const out = renderComposite(lc, 'lc-igbp');
    expect(pixel(out.rgba, 6, 0, 0)[3]).toBe(0);
    expect(pixel(out.rgba, 6, 1, 0)).toEqual([...IGBP_SAFE_PALETTE[0], 255]);
    expect(pixel(out.rgba, 6, 2, 0)).toEqual([...IGBP_SAFE_PALETTE[11], 255]);
    expect(pixel(out.rgba, 6, 5, 0)[3]).toBe(0);
    expect(pixel(renderComposite(lc, 'lc-igbp', { classPalette: 'modis' }).rgba, 6, 4, 0)).toEqual([...IGBP_MODIS_PALETTE[16], 255]);
  });

  it('has a legend of the classes present with their share of class pixels', () => {
    expect(renderComposite(lc, 'lc-igbp').legend).toEqual([
      { value: 1, label: 'Evergreen Needleleaf Forests', colour: cssHex(IGBP_SAFE_PALETTE[0]), fraction: 0.25 },
      { value: 12, label: 'Croplands', colour: cssHex(IGBP_SAFE_PALETTE[11]), fraction: 0.5 },
      { value: 17, label: 'Water Bodies', colour: cssHex(IGBP_SAFE_PALETTE[16]), fraction: 0.25 },
    ]);
  });

  it('refuses an unknown palette', () => {
    expect(() => renderComposite(lc, 'lc-igbp', { classPalette: 'rainbow' as 'safe' })).toThrow(/classPalette/);
  });
});

describe('bad requests name the problem', () => {
  const s2 = makeBands('s2', 2, 2, () => 100, ['B2', 'B3', 'B4']);

  it('data of another sensor', () => {
    expect(() => renderComposite(s2, 's1-vv')).toThrow(/composite s1-vv draws s1 bands, got s2 data/);
  });

  it('a band the composite needs is missing', () => {
    expect(() => renderComposite(s2, 's2-false-colour')).toThrow(/band B8 is not in the s2 data \(it holds: B2, B3, B4\)/);
  });

  it('fixed ranges of the wrong count', () => {
    expect(() => renderComposite(s2, 's2-true-colour', { ranges: [{ min: 0, max: 1 }] })).toThrow(/ranges: expected 3/);
  });

  it('percentiles out of order', () => {
    expect(() => renderComposite(s2, 's2-true-colour', { low: 90, high: 10 })).toThrow(/low \(90\) must be below high/);
  });
});
