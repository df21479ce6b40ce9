/**
 * Input normalisation with the statistics of the official SEN12MS classification code. Each
 * value is z-scored exactly once from its raw scale (dB for S1, reflectance x 10000 for S2); the
 * reference code rescaled first and then z-scored with raw-scale statistics, which we do not copy.
 */
import { S1_BANDS, S2_10_INDICES, S2_BANDS } from '../common/dataset/bands.js';
import type { TypedRaster } from './tiff/types.js';

export interface BandStats {
  mean: number;
  std: number;
  /** False for official SEN12MS figures, true for estimates (see `source`). */
  estimated: boolean;
  source: string;
}

const OFFICIAL = 'SEN12MS classification code';
// The official code uses only the 10-band set, so B1, B9 and B10 have no SEN12MS figures. We take
// the Sentinel-2 L1C statistics of SSL4EO-S12 v1.0 (Wang et al. 2022, global 2020-21 L1C before
// ESA's 2022 radiometric offset, so on SEN12MS's scale), marked as estimates. Compute the real
// ones from your copy of the data when these bands matter.
const ESTIMATE = 'estimate: SSL4EO-S12 v1.0 Sentinel-2 L1C statistics';

const official = (mean: number, std: number): BandStats => ({ mean, std, estimated: false, source: OFFICIAL });
const estimate = (mean: number, std: number): BandStats => ({ mean, std, estimated: true, source: ESTIMATE });

/** Statistics by 13-band S2 index (B1..B12), raw reflectance x 10000. */
export const S2_STATS: readonly BandStats[] = [
  estimate(1605.57504906, 786.78685367), // B1
  official(1226.4215, 741.6254), // B2
  official(1137.3799, 740.883), // B3
  official(1139.6792, 960.1045), // B4
  official(1350.9973, 946.76056), // B5
  official(1932.9058, 985.52747), // B6
  official(2211.1584, 1082.4341), // B7
  official(2154.9846, 1057.7628), // B8
  official(2409.1128, 1136.1942), // B8A
  estimate(830.06605044, 577.31607053), // B9
  estimate(22.10351321, 51.15431158), // B10
  official(2001.8622, 1132.7898), // B11
  official(1356.0801, 991.48016), // B12
];

/** S1 clip range in dB, applied before the z-score. */
export const S1_CLIP_DB: readonly [number, number] = [-25, 0];
/** Statistics of VV, VH in dB after clipping. */
export const S1_STATS: readonly BandStats[] = [official(-11.76858, 4.525339), official(-18.294598, 4.3586307)];

export interface S1Options {
  /**
   * What a NaN pixel reads as, in dB before clipping, or 'mean' for the band mean (0 after the
   * z-score). Default: the clip floor, -25 dB. A NaN is a pixel without a usable return, so we
   * read it as the weakest backscatter, not as 0 dB (the brightest value the clip allows), which
   * is what the reference's nan_to_num did; pass 0 to reproduce the reference.
   */
  fillNaN?: number | 'mean';
}

/** [VV, VH] in dB -> NaN filled, clipped to [-25, 0], z-scored. */
export function normaliseS1(bands: Float32Array[], opts: S1Options = {}): Float32Array[] {
  if (bands.length !== S1_BANDS.length) throw new RangeError(`expected the ${S1_BANDS.length} S1 bands VV, VH, got ${bands.length}`);
  const [lo, hi] = S1_CLIP_DB;
  return bands.map((band, b) => {
    const { mean, std } = S1_STATS[b];
    const fill = opts.fillNaN === undefined ? lo : opts.fillNaN === 'mean' ? mean : opts.fillNaN;
    if (!Number.isFinite(fill)) throw new RangeError(`fillNaN must be a finite number of dB or 'mean', got ${fill}`);
    const out = new Float32Array(band.length);
    for (let i = 0; i < band.length; i++) {
      const v = Number.isNaN(band[i]) ? fill : band[i];
      out[i] = (Math.min(hi, Math.max(lo, v)) - mean) / std;
    }
    return out;
  });
}

/** Raw S2 bands (13-band indices given in `bandIndices`, same order) -> z-scored. */
export function normaliseS2(bands: TypedRaster[], bandIndices: number[]): Float32Array[] {
  if (bands.length !== bandIndices.length) {
    throw new RangeError(`got ${bands.length} S2 bands but ${bandIndices.length} band indices`);
  }
  return bands.map((band, k) => {
    const index = bandIndices[k];
    const stats = S2_STATS[index];
    if (!Number.isInteger(index) || !stats) throw new RangeError(`S2 band index ${index} is outside 0..${S2_BANDS.length - 1}`);
    const out = new Float32Array(band.length);
    for (let i = 0; i < band.length; i++) out[i] = (band[i] - stats.mean) / stats.std;
    return out;
  });
}

/**
 * The 12 fusion channels: normalised S2 10-band set, then normalised S1 VV, VH. A missing sensor
 * is zero-filled, which after the z-score is its mean, so every model sees 12 channels.
 */
export function fusionInput(s2: Float32Array[] | undefined, s1: Float32Array[] | undefined, size: number): Float32Array[] {
  if (!s2 && !s1) throw new RangeError('fusion input needs S2 or S1 bands');
  const part = (bands: Float32Array[] | undefined, count: number, sensor: string): Float32Array[] => {
    if (!bands) return Array.from({ length: count }, () => new Float32Array(size));
    if (bands.length !== count) throw new RangeError(`fusion input needs ${count} ${sensor} bands, got ${bands.length}`);
    for (const b of bands) {
      if (b.length !== size) throw new RangeError(`${sensor} band has ${b.length} pixels, expected ${size}`);
    }
    return bands;
  };
  return [...part(s2, S2_10_INDICES.length, 'S2'), ...part(s1, S1_BANDS.length, 'S1')];
}
