import { describe, expect, it } from 'vitest';
import { valueAt } from '../../../core/common/preview/readout.js';
import { makeBands } from './fixtures.js';

describe('valueAt', () => {
  it('S2: every band present in file order with its reflectance, and NDVI', () => {
    const s2 = makeBands('s2', 3, 2, (band, x, y) => (band === 'B8' ? 4000 : band === 'B4' ? 1000 + 100 * x + 10 * y : 0), ['B8', 'B4', 'B2']);
    const r = valueAt(s2, 2, 1);
    expect(r.x).toBe(2);
    expect(r.y).toBe(1);
    expect(r.bands).toEqual([
      { band: 'B2', value: 0, noData: true, unit: 'reflectance x 10000', reflectance: 0 },
      { band: 'B4', value: 1210, noData: false, unit: 'reflectance x 10000', reflectance: 0.121 },
      { band: 'B8', value: 4000, noData: false, unit: 'reflectance x 10000', reflectance: 0.4 },
    ]);
    expect(r.indices).toHaveLength(1);
    expect(r.indices[0].label).toBe('NDVI');
    expect(r.indices[0].value).toBeCloseTo((4000 - 1210) / (4000 + 1210), 6);
  });

  it('reads the pixel containing fractional cursor coordinates', () => {
    const s2 = makeBands('s2', 3, 2, (_, x, y) => 1 + x + 3 * y, ['B4']);
    expect(valueAt(s2, 1.9, 0.2).bands[0].value).toBe(2);
    expect(valueAt(s2, 0, 1.99).bands[0].value).toBe(4);
    expect(valueAt(s2, 0, 0).indices).toEqual([]); // NDVI needs B8
  });

  it('S1: values in dB and VV - VH; NaN where a band is missing data', () => {
    const s1 = makeBands('s1', 2, 1, (band, x) => (band === 'VV' ? [-8.5, Number.NaN][x] : -20));
    const a = valueAt(s1, 0, 0);
    expect(a.bands).toEqual([
      { band: 'VV', value: -8.5, noData: false, unit: 'dB' },
      { band: 'VH', value: -20, noData: false, unit: 'dB' },
    ]);
    expect(a.indices).toEqual([{ label: 'VV/VH ratio', value: 11.5, unit: 'dB' }]);
    const b = valueAt(s1, 1, 0);
    expect(b.bands[0].noData).toBe(true);
    expect(b.indices[0].value).toBeNaN();
  });

  it('LC: the IGBP class name', () => {
    const lc = makeBands('lc', 3, 1, (band, x) => (band === 'IGBP' ? [17, 0, 40][x] : 5));
    expect(valueAt(lc, 0, 0).bands[0]).toEqual({ band: 'IGBP', value: 17, noData: false, unit: 'class', className: 'Water Bodies' });
    expect(valueAt(lc, 1, 0).bands[0]).toEqual({ band: 'IGBP', value: 0, noData: true, unit: 'class' });
    expect(valueAt(lc, 2, 0).bands[0].className).toBeUndefined();
    expect(valueAt(lc, 0, 0).bands.map((b) => b.band)).toEqual(['IGBP', 'LCCS_LC', 'LCCS_LU', 'LCCS_SH']);
  });

  it('refuses a position outside the image, naming the axis', () => {
    const s1 = makeBands('s1', 2, 2, () => -10);
    expect(() => valueAt(s1, 2, 0)).toThrow(/^x: 2 is outside/);
    expect(() => valueAt(s1, 0, -0.5)).toThrow(/^y: -0.5 is outside/);
    expect(() => valueAt(s1, Number.NaN, 0)).toThrow(/^x/);
  });
});
