import { LC_BANDS, S1_BANDS, S2_BANDS } from '../dataset/bands.js';
import type { Sensor } from './band-data.js';
import type { BandName } from './composites.js';

/**
 * What each band of a patch measures, for pickers and colour bars: its name, the Sentinel-2 MSI
 * centre wavelength (S2A, ESA's Sentinel-2 User Handbook) and native resolution (SEN12MS
 * resamples every band to 10 m), and the physical unit its values are shown in.
 */

export interface BandInfo {
  band: BandName;
  sensor: Sensor;
  name: string;
  /** S2 only: centre wavelength in nm. */
  wavelengthNm?: number;
  /** S2 only: the band's native ground sampling distance in m. */
  resolutionM?: number;
}

/** The unit a sensor's values are shown in once converted by physicalValue. */
export const PHYSICAL_UNITS: Readonly<Record<Sensor, string>> = { s2: 'reflectance', s1: 'dB', lc: 'class' };

/** S2 L1C files store top-of-atmosphere reflectance x 10000. */
export const S2_REFLECTANCE_SCALE = 10000;

const S2: readonly [string, number, number][] = [
  ['coastal aerosol', 443, 60],
  ['blue', 492, 10],
  ['green', 560, 10],
  ['red', 665, 10],
  ['red edge 1', 704, 20],
  ['red edge 2', 741, 20],
  ['red edge 3', 783, 20],
  ['near infrared', 833, 10],
  ['narrow near infrared', 865, 20],
  ['water vapour', 945, 60],
  ['cirrus (SWIR)', 1374, 60],
  ['shortwave infrared 1', 1614, 20],
  ['shortwave infrared 2', 2202, 20],
];

const OTHER: Readonly<Record<string, string>> = {
  VV: 'VV backscatter (C-band)',
  VH: 'VH backscatter (C-band)',
  IGBP: 'IGBP land cover',
  LCCS_LC: 'LCCS land cover',
  LCCS_LU: 'LCCS land use',
  LCCS_SH: 'LCCS surface hydrology',
};

export const BAND_INFO: Readonly<Record<BandName, BandInfo>> = Object.fromEntries([
  ...S2_BANDS.map((band, k) => [band, { band, sensor: 's2', name: S2[k][0], wavelengthNm: S2[k][1], resolutionM: S2[k][2] }]),
  ...S1_BANDS.map((band) => [band, { band, sensor: 's1', name: OTHER[band] }]),
  ...LC_BANDS.map((band) => [band, { band, sensor: 'lc', name: OTHER[band] }]),
]) as Record<BandName, BandInfo>;

/** The band of a name from outside, or an error listing the bands. */
export function bandInfo(band: string): BandInfo {
  if (!Object.hasOwn(BAND_INFO, band)) {
    throw new RangeError(`unknown band "${band}" (one of: ${Object.keys(BAND_INFO).join(', ')})`);
  }
  return BAND_INFO[band as BandName];
}

/** "B10 cirrus (SWIR), 1374 nm, 60 m" / "VV backscatter (C-band)". */
export function bandLabel(band: string): string {
  const info = bandInfo(band);
  return info.wavelengthNm === undefined ? `${band} ${info.name}` : `${band} ${info.name}, ${info.wavelengthNm} nm, ${info.resolutionM} m`;
}

/** "B12 2202 nm" for narrow pickers; other sensors' bands by name alone. */
export function bandShortLabel(band: string): string {
  const info = bandInfo(band);
  return info.wavelengthNm === undefined ? band : `${band} ${info.wavelengthNm} nm`;
}

/** A stored value in the sensor's physical unit: S2 reflectance, S1 dB and LC classes as stored. */
export function physicalValue(sensor: Sensor, stored: number): number {
  return sensor === 's2' ? stored / S2_REFLECTANCE_SCALE : stored;
}
