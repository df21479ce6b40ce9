/**
 * Contrast stretch for previews: a value range per channel from percentiles of its valid values,
 * then a linear map onto [0, 1] with a gamma. Percentiles are exact: the valid values are sorted
 * (a 256x256 patch is 65,536 values, a few milliseconds) and interpolated linearly between the
 * two nearest ranks, as numpy.percentile does by default.
 */

export interface ValueRange {
  min: number;
  max: number;
}

export interface StretchOptions {
  /** Lower and upper percentiles, 0..100 (defaults 2 and 98). */
  low?: number;
  high?: number;
  /** Output t^(1/gamma): above 1 brightens the dark end, below 1 darkens it (default 1). */
  gamma?: number;
}

export const DEFAULT_STRETCH = { low: 2, high: 98, gamma: 1 } as const;

/** The options with defaults filled in; a bad value names its field. */
export function stretchOptions(opts: StretchOptions = {}): Required<StretchOptions> {
  const out = { low: opts.low ?? DEFAULT_STRETCH.low, high: opts.high ?? DEFAULT_STRETCH.high, gamma: opts.gamma ?? DEFAULT_STRETCH.gamma };
  for (const key of ['low', 'high'] as const) {
    if (!(out[key] >= 0 && out[key] <= 100)) throw new RangeError(`${key}: expected a percentile in 0..100, got ${out[key]}`);
  }
  if (out.low >= out.high) throw new RangeError(`low (${out.low}) must be below high (${out.high})`);
  if (!(out.gamma > 0 && Number.isFinite(out.gamma))) throw new RangeError(`gamma: expected a positive number, got ${out.gamma}`);
  return out;
}

/** The low and high percentiles of the non-NaN values; { NaN, NaN } when there is none. */
export function percentileRange(values: ArrayLike<number>, low: number, high: number): ValueRange {
  const valid = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) valid[n++] = v;
  }
  const sorted = valid.subarray(0, n).sort();
  return { min: percentileOfSorted(sorted, low), max: percentileOfSorted(sorted, high) };
}

function percentileOfSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const k = Math.floor(pos);
  if (k + 1 >= sorted.length) return sorted[sorted.length - 1];
  return sorted[k] + (sorted[k + 1] - sorted[k]) * (pos - k);
}

/**
 * A value's position in [0, 1] over the range, clamped, with the gamma applied. A flat range
 * (min = max) gives 0.5, so a uniform channel shows as mid grey rather than looking like no data.
 */
export function stretchValue(v: number, range: ValueRange, gamma: number): number {
  if (!(range.max > range.min)) return 0.5;
  const t = Math.min(Math.max((v - range.min) / (range.max - range.min), 0), 1);
  return gamma === 1 ? t : t ** (1 / gamma);
}
