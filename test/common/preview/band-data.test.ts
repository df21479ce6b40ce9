import { describe, expect, it } from 'vitest';
import { checkBandData } from '../../../core/common/preview/band-data.js';

describe('checkBandData', () => {
  const ok = { sensor: 's2' as const, width: 2, height: 2, bands: { B4: new Uint16Array(4) } };

  it('accepts a subset of the bands', () => {
    expect(checkBandData(ok)).toBe(ok);
  });

  it('names the bad field or band', () => {
    expect(() => checkBandData({ ...ok, sensor: 's3' as 's2' })).toThrow(/^sensor/);
    expect(() => checkBandData({ ...ok, width: 0 })).toThrow(/^width/);
    expect(() => checkBandData({ ...ok, height: 1.5 })).toThrow(/^height/);
    expect(() => checkBandData({ ...ok, bands: { B13: new Uint16Array(4) } })).toThrow(/band B13 is not an s2 band/);
    expect(() => checkBandData({ ...ok, bands: { B4: new Uint16Array(3) } })).toThrow(/band B4 holds 3 values, expected 4 \(2x2\)/);
    expect(() => checkBandData({ ...ok, bands: { B4: new Float32Array(4) } })).toThrow(/band B4: s2 bands are uint16, got a Float32Array/);
  });
});
