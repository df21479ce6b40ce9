import { byteHistogram } from '../util/byte-histogram.js';

/**
 * Scene labels from the IGBP land cover band (LC band 1): class fractions, the simplified
 * 10-class scheme of the SEN12MS/DFC2020 code, and single-/multi-label targets. Classes are
 * 1-based everywhere, as in the data.
 */

export const IGBP_CLASSES = [
  'Evergreen Needleleaf Forests',
  'Evergreen Broadleaf Forests',
  'Deciduous Needleleaf Forests',
  'Deciduous Broadleaf Forests',
  'Mixed Forests',
  'Closed Shrublands',
  'Open Shrublands',
  'Woody Savannas',
  'Savannas',
  'Grasslands',
  'Permanent Wetlands',
  'Croplands',
  'Urban and Built-up Lands',
  'Cropland/Natural Vegetation Mosaics',
  'Permanent Snow and Ice',
  'Barren',
  'Water Bodies',
] as const;

export const SIMPLIFIED_CLASSES = [
  'Forest',
  'Shrubland',
  'Savanna',
  'Grassland',
  'Wetlands',
  'Croplands',
  'Urban/Built-up',
  'Snow/Ice',
  'Barren',
  'Water',
] as const;

/** IGBP value (index 0..17; 0 is no class) -> simplified class, the official DFC2020 table. */
const IGBP_TO_SIMPLIFIED = [0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 6, 8, 9, 10] as const;

export const DEFAULT_MULTI_LABEL_THRESHOLD = 0.1;

/** Fractions of IGBP classes 1..17 over the pixels holding one of them; no valid pixel -> zeros. */
export function igbpFractions(band1: Uint8Array): number[] {
  return igbpFractionsOfHistogram(byteHistogram(band1));
}

/** The same fractions from a 256-bin histogram of LC band 1 (value -> pixel count). */
export function igbpFractionsOfHistogram(histogram: ArrayLike<number>): number[] {
  if (histogram.length !== 256) throw new RangeError(`expected a 256-bin histogram, got ${histogram.length} bins`);
  const counts = Array.from({ length: IGBP_CLASSES.length }, (_, k) => histogram[k + 1]);
  const valid = counts.reduce((a, c) => a + c, 0);
  return valid === 0 ? counts : counts.map((c) => c / valid);
}

/** Sums the IGBP fractions into the 10 simplified classes, in IGBP order as the reference does. */
export function simplifiedFractions(igbp: number[]): number[] {
  if (igbp.length !== IGBP_CLASSES.length) {
    throw new RangeError(`expected ${IGBP_CLASSES.length} IGBP fractions, got ${igbp.length}`);
  }
  const out = new Array<number>(SIMPLIFIED_CLASSES.length).fill(0);
  igbp.forEach((f, i) => {
    out[IGBP_TO_SIMPLIFIED[i + 1] - 1] += f;
  });
  return out;
}

/** The 1-based class of the largest fraction; ties go to the lower class, as numpy's argmax. */
export function singleLabel(fractions: number[]): number {
  if (fractions.length === 0) throw new RangeError('no class fractions');
  let best = 0;
  for (let i = 1; i < fractions.length; i++) if (fractions[i] > fractions[best]) best = i;
  return best + 1;
}

/** The 1-based classes whose fraction reaches the threshold, ascending. */
export function multiLabel(fractions: number[], threshold = DEFAULT_MULTI_LABEL_THRESHOLD): number[] {
  const out: number[] = [];
  fractions.forEach((f, i) => {
    if (f >= threshold) out.push(i + 1);
  });
  return out;
}
