import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resampleInto } from '../../core/sampler/resample.js';

function band(size: number, seed: number): Float32Array {
  return Float32Array.from({ length: size * size }, (_, i) => Math.sin(i * 0.731 + seed) * 3 + (i % size) * 0.1);
}

/** Channel `c` of an HWC buffer. */
function channel(hwc: Float32Array, c: number, channels: number): Float32Array {
  return Float32Array.from({ length: hwc.length / channels }, (_, i) => hwc[i * channels + c]);
}

function maxDiff(a: Float32Array, b: Float32Array | Int32Array | Uint8Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resampleInto', () => {
  it('averages k x k blocks when the output size divides the input size', () => {
    const src = band(8, 1);
    const out = new Float32Array(2 * 2 * 3);
    resampleInto(src, 8, 2, out, 1, 3);
    const pooled = tf.avgPool(tf.tensor4d(src, [1, 8, 8, 1]), 4, 4, 'valid').dataSync() as Float32Array;
    expect(maxDiff(channel(out, 1, 3), pooled)).toBeLessThan(1e-5);
    // Other channels are left alone.
    expect(Array.from(channel(out, 0, 3))).toEqual([0, 0, 0, 0]);
  });

  it('copies at the same size', () => {
    const src = band(6, 2);
    const out = new Float32Array(36);
    resampleInto(src, 6, 6, out, 0, 1);
    expect(Array.from(out)).toEqual(Array.from(src));
  });

  it.each([
    [16, 5],
    [16, 12],
    [8, 13],
  ])('matches bilinear resizing with half-pixel centres (%i -> %i)', (inSize, outSize) => {
    const src = band(inSize, inSize + outSize);
    const out = new Float32Array(outSize * outSize * 2);
    resampleInto(src, inSize, outSize, out, 1, 2);
    const ref = tf.image.resizeBilinear(tf.tensor4d(src, [1, inSize, inSize, 1]), [outSize, outSize], false, true).dataSync() as Float32Array;
    expect(maxDiff(channel(out, 1, 2), ref)).toBeLessThan(1e-5);
  });

  it('refuses buffers of the wrong size', () => {
    expect(() => resampleInto(new Float32Array(10), 4, 2, new Float32Array(4), 0, 1)).toThrow(/4x4/);
    expect(() => resampleInto(new Float32Array(16), 4, 2, new Float32Array(5), 0, 1)).toThrow(/2x2x1/);
  });
});
