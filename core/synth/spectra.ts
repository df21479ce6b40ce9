/**
 * What each IGBP class looks like to the two sensors: Sentinel-2 surface reflectance in the 13
 * bands (B1..B12 incl. B8A, B10) and Sentinel-1 backscatter in dB. Values follow the usual shapes
 * (the vegetation red edge, dark water in the NIR/SWIR, bright snow in the visible, urban double
 * bounce) so that classes can be told apart from either sensor.
 */
import type { Season } from '../common/dataset/names.js';

type Spectrum = readonly number[];

//          B1     B2     B3     B4     B5     B6     B7     B8     B8A    B9     B10    B11    B12
const BROADLEAF: Spectrum = [0.02, 0.03, 0.06, 0.03, 0.09, 0.25, 0.32, 0.35, 0.36, 0.3, 0.3, 0.17, 0.08];
const NEEDLELEAF: Spectrum = [0.015, 0.02, 0.04, 0.02, 0.06, 0.16, 0.2, 0.22, 0.23, 0.19, 0.19, 0.11, 0.05];
const LEAF_OFF: Spectrum = [0.04, 0.05, 0.07, 0.08, 0.1, 0.13, 0.15, 0.17, 0.18, 0.16, 0.16, 0.2, 0.14];
const GREEN_HERB: Spectrum = [0.03, 0.04, 0.08, 0.05, 0.12, 0.28, 0.35, 0.38, 0.39, 0.32, 0.32, 0.22, 0.12];
const DRY_HERB: Spectrum = [0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.22, 0.24, 0.25, 0.23, 0.23, 0.32, 0.25];
const SHRUB: Spectrum = [0.05, 0.07, 0.1, 0.12, 0.15, 0.19, 0.21, 0.23, 0.24, 0.22, 0.22, 0.3, 0.22];
const SOIL: Spectrum = [0.07, 0.09, 0.13, 0.17, 0.2, 0.22, 0.24, 0.26, 0.27, 0.25, 0.25, 0.32, 0.26];
const SAND: Spectrum = [0.1, 0.13, 0.19, 0.26, 0.29, 0.31, 0.33, 0.35, 0.36, 0.33, 0.33, 0.45, 0.38];
const URBAN: Spectrum = [0.08, 0.1, 0.12, 0.14, 0.15, 0.17, 0.18, 0.2, 0.2, 0.18, 0.18, 0.22, 0.19];
const WATER: Spectrum = [0.06, 0.06, 0.05, 0.03, 0.02, 0.012, 0.01, 0.008, 0.007, 0.005, 0.005, 0.003, 0.002];
const SNOW: Spectrum = [0.85, 0.85, 0.84, 0.82, 0.8, 0.78, 0.76, 0.72, 0.7, 0.55, 0.55, 0.08, 0.06];
const MARSH: Spectrum = [0.04, 0.05, 0.07, 0.05, 0.09, 0.18, 0.22, 0.24, 0.25, 0.2, 0.2, 0.12, 0.06];

/** Top-of-atmosphere: SEN12MS S2 is Level-1C, so haze adds most in the blue, and B9 / B10 sit in absorption bands. */
const PATH_RADIANCE = [0.11, 0.085, 0.055, 0.035, 0.03, 0.025, 0.02, 0.018, 0.017, 0.01, 0.001, 0.005, 0.003];
const TRANSMITTANCE = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.35, 0.03, 1, 1];

function mix(a: Spectrum, b: Spectrum, f: number): number[] {
  return a.map((v, i) => v * (1 - f) + b[i] * f);
}

/**
 * A class's look as two end members and how far a region may move from the first to the
 * second (crop fields between green and bare, mosaics between forest and crops, ...).
 */
export interface ClassLook {
  a: number[];
  b: number[];
  spread: number;
  vegetated: boolean;
  /** Sentinel-1 sigma-nought in dB, and how much regions of the class differ (dB). */
  vv: number;
  vh: number;
  s1Spread: number;
}

function looks(season: Season): Record<number, ClassLook> {
  const winter = season === 'winter';
  const dry = season === 'winter' || season === 'fall';
  const v = (a: Spectrum, b: Spectrum, spread: number, vv: number, vh: number, s1Spread: number, vegetated = true): ClassLook => ({
    a: [...a],
    b: [...b],
    spread,
    vegetated,
    vv,
    vh,
    s1Spread,
  });
  return {
    1: v(NEEDLELEAF, mix(NEEDLELEAF, BROADLEAF, 0.3), 0.4, -8, -14, 1),
    2: v(BROADLEAF, mix(BROADLEAF, NEEDLELEAF, 0.3), 0.4, -7, -12.5, 0.8),
    3: v(winter ? LEAF_OFF : NEEDLELEAF, NEEDLELEAF, 0.3, -8.5, -15, 1),
    4: v(winter ? LEAF_OFF : BROADLEAF, winter ? mix(LEAF_OFF, SOIL, 0.3) : mix(BROADLEAF, GREEN_HERB, 0.3), 0.5, -7.5, winter ? -15 : -13, 1),
    5: v(mix(NEEDLELEAF, winter ? LEAF_OFF : BROADLEAF, 0.5), NEEDLELEAF, 0.5, -7.8, -13.8, 1),
    6: v(mix(SHRUB, GREEN_HERB, 0.5), SHRUB, 0.6, -9.5, -16, 1.5),
    7: v(SHRUB, mix(SHRUB, SOIL, 0.5), 0.7, -11, -18, 1.5),
    8: v(mix(BROADLEAF, dry ? DRY_HERB : GREEN_HERB, 0.5), BROADLEAF, 0.5, -8.5, -15, 1.2),
    9: v(mix(DRY_HERB, BROADLEAF, 0.25), dry ? DRY_HERB : GREEN_HERB, 0.6, -10, -17, 1.2),
    10: v(dry ? DRY_HERB : GREEN_HERB, mix(GREEN_HERB, SOIL, 0.4), 0.6, -11, -18, 1.5),
    11: v(MARSH, mix(MARSH, WATER, 0.5), 0.7, -9, -16, 3),
    12: v(winter ? SOIL : GREEN_HERB, winter ? GREEN_HERB : SOIL, 1, -10, -17, 3),
    13: v(URBAN, mix(URBAN, GREEN_HERB, 0.3), 0.6, -2.5, -9, 3, false),
    14: v(mix(BROADLEAF, GREEN_HERB, 0.5), mix(SOIL, GREEN_HERB, 0.5), 1, -9, -15.5, 2),
    15: v(SNOW, mix(SNOW, NEEDLELEAF, 0.4), 0.6, -13, -21, 2, false),
    16: v(SAND, SOIL, 0.8, -15, -24, 3, false),
    17: v(WATER, mix(WATER, SOIL, 0.15), 0.5, -20, -27, 3, false),
  };
}

const cache = new Map<Season, Record<number, ClassLook>>();

/** Looks of the 17 IGBP classes in a local season (leaf-off, bare fields and dry grass in winter). */
export function classLooks(season: Season): Record<number, ClassLook> {
  let l = cache.get(season);
  if (!l) {
    l = looks(season);
    cache.set(season, l);
  }
  return l;
}

/** Surface reflectance to a Level-1C digital number (reflectance x 10000). */
export function toTopOfAtmosphere(band: number, surface: number): number {
  return (surface * TRANSMITTANCE[band] + PATH_RADIANCE[band]) * 10000;
}
