import { describe, expect, it } from 'vitest';
import { colourBarTicks, formatPhysical } from '../../../renderer/src/lib/patch/colour-bar.js';

describe('colour bar ticks', () => {
  it('label both ends and the middle at the precision of the unit', () => {
    expect(colourBarTicks({ ramp: 'viridis', quantity: 'B10', unit: 'reflectance', min: 0.0012, max: 0.0412 })).toEqual([
      { at: 0, text: '0.001' },
      { at: 0.5, text: '0.021' },
      { at: 1, text: '0.041' },
    ]);
    expect(colourBarTicks({ ramp: 'viridis', quantity: 'VH', unit: 'dB', min: -25.04, max: -5 }).map((t) => t.text)).toEqual(['-25.0', '-15.0', '-5.0']);
    expect(colourBarTicks({ ramp: 'brbg', quantity: 'NDVI', unit: '', min: -1, max: 1 }).map((t) => t.text)).toEqual(['-1.00', '0.00', '1.00']);
    expect(colourBarTicks({ ramp: 'viridis', quantity: 'LCCS_LC', unit: 'class', min: 11, max: 43 }).map((t) => t.text)).toEqual(['11', '27', '43']);
  });

  it('a flat band has one tick; no data says so; no negative zero', () => {
    expect(colourBarTicks({ ramp: 'viridis', quantity: 'B1', unit: 'reflectance', min: 0.1, max: 0.1 })).toEqual([{ at: 0.5, text: '0.100' }]);
    expect(formatPhysical(Number.NaN, 'dB')).toBe('no data');
    expect(formatPhysical(-0.0001, 'reflectance')).toBe('0.000');
    expect(formatPhysical(-0.004, '')).toBe('0.00');
    expect(formatPhysical(-0.006, '')).toBe('-0.01');
  });
});
