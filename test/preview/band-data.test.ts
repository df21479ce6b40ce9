import { describe, expect, it } from 'vitest';
import { bandDataFromRaster, checkBandData } from '../../core/preview/band-data.js';

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

describe('bandDataFromRaster', () => {
  it('names the bands by their file positions', () => {
    const vh = Float32Array.of(-20, -21);
    const data = bandDataFromRaster('s1', { width: 2, height: 1, dtype: 'float32', bands: [1], data: [vh] });
    expect(data.bands).toEqual({ VH: vh });
    const lc = bandDataFromRaster('lc', { width: 1, height: 1, dtype: 'uint8', bands: [0, 3], data: [Uint8Array.of(5), Uint8Array.of(9)] });
    expect(Object.keys(lc.bands)).toEqual(['IGBP', 'LCCS_SH']);
  });

  it('refuses a sample type or band index the sensor does not have', () => {
    expect(() => bandDataFromRaster('s2', { width: 1, height: 1, dtype: 'int16', bands: [0], data: [Int16Array.of(1)] })).toThrow(
      /s2 raster holds int16 samples, expected uint16/,
    );
    expect(() => bandDataFromRaster('s1', { width: 1, height: 1, dtype: 'float32', bands: [2], data: [Float32Array.of(1)] })).toThrow(
      /band index 2 is out of range 0..1/,
    );
  });
});
