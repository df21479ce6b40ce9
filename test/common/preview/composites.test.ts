import { describe, expect, it } from 'vitest';
import { S2_BANDS } from '../../../core/common/dataset/bands.js';
import { composite, COMPOSITE_NAMES, COMPOSITES, compositeBands } from '../../../core/common/preview/composites.js';
import { renderComposite } from '../../../core/common/preview/render.js';
import { makeBands, pixel } from './fixtures.js';

/** The bands behind R, G, B of each band composite, as issue 5 specifies them. */
const SPECIFIED = {
  's2-true-colour': ['B4', 'B3', 'B2'],
  's2-false-colour': ['B8', 'B4', 'B3'],
  's2-swir': ['B12', 'B8A', 'B4'],
} as const;

describe('S2 band composites pick the specified bands', () => {
  // Each band holds its own constant (1-based file position x 1000); a fixed range 0..13000 maps
  // it to a distinct byte, so each channel tells which band it came from.
  const constants = makeBands('s2', 3, 2, (band) => (S2_BANDS.indexOf(band as (typeof S2_BANDS)[number]) + 1) * 1000);
  const scale = [0, 1, 2].map(() => ({ min: 0, max: 13000 }));
  const byteOf = (band: string) => Math.round((255 * (S2_BANDS.indexOf(band as (typeof S2_BANDS)[number]) + 1) * 1000) / 13000);

  for (const [name, bands] of Object.entries(SPECIFIED)) {
    it(`${name}: R, G, B = ${bands.join(', ')}`, () => {
      const out = renderComposite(constants, name as keyof typeof SPECIFIED, { ranges: scale });
      expect(pixel(out.rgba, 3, 2, 1)).toEqual([...bands.map(byteOf), 255]);
      expect(compositeBands(name as keyof typeof SPECIFIED)).toEqual(bands);
    });
  }

  it('with percentile stretch, each channel follows its own band: B4 grows along x, B3 along y, B2 is flat', () => {
    const w = 50;
    const data = makeBands('s2', w, w, (band, x, y) => (band === 'B4' ? 500 + 20 * x : band === 'B3' ? 800 + 30 * y : 1200));
    const out = renderComposite(data, 's2-true-colour', { low: 0, high: 100 });
    expect(out.ranges).toEqual([
      { min: 500, max: 500 + 20 * (w - 1) },
      { min: 800, max: 800 + 30 * (w - 1) },
      { min: 1200, max: 1200 },
    ]);
    expect(pixel(out.rgba, w, 0, w - 1)).toEqual([0, 255, 128, 255]);
    expect(pixel(out.rgba, w, w - 1, 0)).toEqual([255, 0, 128, 255]);
    const middle = pixel(out.rgba, w, 20, 30);
    expect(middle[0]).toBe(Math.round((255 * 20) / (w - 1)));
    expect(middle[1]).toBe(Math.round((255 * 30) / (w - 1)));
  });
});

describe('the composite table', () => {
  it('holds the eight previews of issue 5 and NDWI, each reading bands of its own sensor', () => {
    expect([...COMPOSITE_NAMES].sort()).toEqual(
      ['lc-igbp', 's1-vh', 's1-vv', 's1-vv-vh-ratio', 's2-false-colour', 's2-ndvi', 's2-ndwi', 's2-swir', 's2-true-colour'].sort(),
    );
    expect(compositeBands('s2-ndvi').sort()).toEqual(['B4', 'B8']);
    expect(compositeBands('s2-ndwi')).toEqual(['B3', 'B8']);
    expect(compositeBands('s1-vv-vh-ratio')).toEqual(['VV', 'VH']);
    expect(compositeBands('lc-igbp')).toEqual(['IGBP']);
    expect(COMPOSITES['s2-ndvi'].range).toEqual({ min: -1, max: 1 });
  });

  it('an unknown name lists the valid ones', () => {
    expect(() => composite('s2-rgb')).toThrow(/unknown composite "s2-rgb" \(one of: s2-true-colour/);
    expect(() => composite('toString')).toThrow(/unknown composite/);
  });
});
