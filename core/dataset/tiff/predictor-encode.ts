/**
 * TIFF predictors for the writer, as libtiff applies them: each row of a strip or tile on its
 * own, differences between a sample and the same sample of the previous pixel (`stride` =
 * samples per pixel in a chunk, 1 in a band-sequential chunk).
 */
import type { TypedRaster } from './types.js';

/** Predictor 2, in place. Typed-array stores wrap modulo the type's range, as libtiff's do. */
export function horizontalDifference(chunk: TypedRaster, rowSamples: number, stride: number): void {
  for (let row = 0; row < chunk.length; row += rowSamples) {
    for (let i = row + rowSamples - 1; i >= row + stride; i--) chunk[i] -= chunk[i - stride];
  }
}

/**
 * Predictor 3 (floating point): per row, the bytes are regrouped into planes, most significant
 * byte first whatever the file's byte order, then byte-wise differenced.
 */
export function floatingPointDifference(
  chunk: Float32Array | Float64Array,
  rowSamples: number,
  stride: number,
  littleEndian: boolean,
): Uint8Array {
  const bps = chunk.BYTES_PER_ELEMENT;
  const src = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const out = new Uint8Array(chunk.byteLength);
  const rowBytes = rowSamples * bps;
  for (let row = 0; row < out.length; row += rowBytes) {
    for (let b = 0; b < bps; b++) {
      const plane = row + (littleEndian ? bps - 1 - b : b) * rowSamples;
      for (let k = 0, s = row + b; k < rowSamples; k++, s += bps) out[plane + k] = src[s];
    }
    for (let i = row + rowBytes - 1; i >= row + stride; i--) out[i] -= out[i - stride];
  }
  return out;
}
