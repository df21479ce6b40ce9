import { describe, expect, it } from 'vitest';
import { bandDataFromRaster } from '../../core/preview/raster-band-data.js';

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
