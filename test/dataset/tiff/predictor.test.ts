import { describe, expect, it } from 'vitest';
import { undoFloatingPointPredictor, undoHorizontalDifferencing } from '../../../core/dataset/tiff/predictor.js';

/** Encoders written from the TIFF spec (predictor 2) and Technical Note 3 (predictor 3). */
function differenceRows(values: Uint8Array | Uint16Array | Uint32Array, rowSamples: number, stride: number): void {
  for (let start = 0; start < values.length; start += rowSamples) {
    for (let i = start + rowSamples - 1; i >= start + stride; i--) values[i] = values[i] - values[i - stride];
  }
}

function floatPredict(values: Float32Array | Float64Array, rowSamples: number, stride: number): Uint8Array {
  const bps = values.BYTES_PER_ELEMENT;
  const le = new Uint8Array(values.buffer.slice(0));
  const out = new Uint8Array(le.length);
  const rowBytes = rowSamples * bps;
  for (let r = 0; r * rowBytes < le.length; r++) {
    const row = out.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = 0; i < rowSamples; i++) {
      for (let b = 0; b < bps; b++) row[(bps - 1 - b) * rowSamples + i] = le[r * rowBytes + i * bps + b];
    }
    for (let i = rowBytes - 1; i >= stride; i--) row[i] = (row[i] - row[i - stride]) & 0xff;
  }
  return out;
}

describe('predictor 2 (horizontal differencing)', () => {
  it.each([
    [Uint8Array, 1, 1],
    [Uint16Array, 2, 3],
    [Uint32Array, 4, 2],
  ] as const)('%o: %i bytes, stride %i, undoes the encoding with wrap-around', (T, bps, stride) => {
    const rowSamples = 6 * stride;
    const rows = 3;
    const values = Array.from({ length: rowSamples * rows }, (_, i) => (i * 2654435761) % 2 ** (8 * bps));
    const original = new T(values);
    const encoded = new T(values);
    differenceRows(encoded, rowSamples, stride);
    expect(Array.from(encoded)).not.toEqual(Array.from(original));
    const bytes = new Uint8Array(encoded.buffer);
    undoHorizontalDifferencing(bytes, bps, rowSamples, rows, stride);
    expect(Array.from(new T(bytes.buffer))).toEqual(Array.from(original));
  });
});

describe('predictor 3 (floating point)', () => {
  it.each([
    [Float32Array, 1],
    [Float32Array, 2],
    [Float64Array, 3],
  ] as const)('%o, stride %i, undoes the byte shuffle and differencing', (T, stride) => {
    const rowSamples = 5 * stride;
    const rows = 4;
    const original = new T(Array.from({ length: rowSamples * rows }, (_, i) => (i === 7 ? NaN : Math.sin(i) * 10 ** (i % 5))));
    const block = floatPredict(original, rowSamples, stride);
    undoFloatingPointPredictor(block, T.BYTES_PER_ELEMENT, rowSamples, rows, stride);
    expect(Array.from(new T(block.buffer as ArrayBuffer))).toEqual(Array.from(original));
  });
});
