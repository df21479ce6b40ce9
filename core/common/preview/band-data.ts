import { LC_BANDS, S1_BANDS, S2_BANDS } from '../dataset/bands.js';

/**
 * One sensor's bands of a patch as the previews take them: typed arrays keyed by the band names
 * of core/common/dataset/bands.ts, row-major, width x height each. Only the bands a preview needs have
 * to be present.
 */

export type Sensor = 's1' | 's2' | 'lc';
export type BandArray = Float32Array | Uint16Array | Uint8Array;

export interface BandData {
  sensor: Sensor;
  width: number;
  height: number;
  bands: Readonly<Partial<Record<string, BandArray>>>;
}

/** Band names in file order, per sensor. */
export const SENSOR_BANDS: Readonly<Record<Sensor, readonly string[]>> = { s1: S1_BANDS, s2: S2_BANDS, lc: LC_BANDS };

/** The sample type each sensor's files hold, and its typed array. */
export const SENSOR_DTYPES = { s1: 'float32', s2: 'uint16', lc: 'uint8' } as const;
const SENSOR_ARRAYS = { s1: Float32Array, s2: Uint16Array, lc: Uint8Array } as const;

/**
 * Whether a stored value is no data. S1 marks gaps with NaN; S2 L1C fills outside the swath with
 * 0 (a real reflectance is never exactly 0); LC 0 is "no class" (IGBP classes are 1..17).
 */
export function isNoData(sensor: Sensor, value: number): boolean {
  return sensor === 's1' ? Number.isNaN(value) : value === 0;
}

/** A band's value at pixel index i, NaN where it is no data. */
export function bandValue(data: BandData, band: string, i: number): number {
  const v = requireBand(data, band)[i];
  return isNoData(data.sensor, v) ? Number.NaN : v;
}

/** The array of a band, or an error naming the band and the bands the data holds. */
export function requireBand(data: BandData, band: string): BandArray {
  const values = data.bands[band];
  if (values === undefined) {
    throw new RangeError(`band ${band} is not in the ${data.sensor} data (it holds: ${Object.keys(data.bands).join(', ') || 'none'})`);
  }
  return values;
}

/** Checks what enters from outside (decoded API payloads, rasters): sensor, size, band names and lengths. */
export function checkBandData(data: BandData): BandData {
  if (!(data.sensor in SENSOR_BANDS)) throw new RangeError(`sensor: expected s1, s2 or lc, got ${String(data.sensor)}`);
  for (const key of ['width', 'height'] as const) {
    if (!Number.isInteger(data[key]) || data[key] <= 0) throw new RangeError(`${key}: expected a positive integer, got ${data[key]}`);
  }
  const known = SENSOR_BANDS[data.sensor];
  const pixels = data.width * data.height;
  for (const [band, values] of Object.entries(data.bands)) {
    if (!known.includes(band)) throw new RangeError(`band ${band} is not an ${data.sensor} band (one of: ${known.join(', ')})`);
    if (values === undefined) continue;
    if (!(values instanceof SENSOR_ARRAYS[data.sensor])) {
      throw new RangeError(`band ${band}: ${data.sensor} bands are ${SENSOR_DTYPES[data.sensor]}, got a ${values.constructor.name}`);
    }
    if (values.length !== pixels) {
      throw new RangeError(`band ${band} holds ${values.length} values, expected ${pixels} (${data.width}x${data.height})`);
    }
  }
  return data;
}
