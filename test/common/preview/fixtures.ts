import { SENSOR_BANDS, type BandArray, type BandData, type Sensor } from '../../../core/common/preview/band-data.js';

const ARRAYS = { s1: Float32Array, s2: Uint16Array, lc: Uint8Array } as const;

/** Test data of a sensor: every band (or the listed ones) filled by value(band, x, y). */
export function makeBands(
  sensor: Sensor,
  width: number,
  height: number,
  value: (band: string, x: number, y: number) => number,
  only: readonly string[] = SENSOR_BANDS[sensor],
): BandData {
  const bands: Record<string, BandArray> = {};
  for (const band of only) {
    const values = new ARRAYS[sensor](width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) values[y * width + x] = value(band, x, y);
    bands[band] = values;
  }
  return { sensor, width, height, bands };
}

/** The RGBA of pixel (x, y). */
export function pixel(rgba: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const o = (y * width + x) * 4;
  return Array.from(rgba.subarray(o, o + 4));
}
