import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch } from '../../core/sampler/augment.js';
import { AUG_PRESETS, augmentConfig, type AugmentConfig } from '../../core/common/training/augment-presets.js';
import { Rng } from '../../core/util/rng.js';

const NONE = AUG_PRESETS.none;

function ramp(n: number, h: number, w: number, c: number): tf.Tensor4D {
  const v = new Float32Array(n * h * w * c);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(i * 0.37) + (i % c) * 10;
  return tf.tensor4d(v, [n, h, w, c]);
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('augmentBatch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is the identity with no augmentation at the input size', () => {
    const x = ramp(2, 8, 8, 3);
    expect(maxAbsDiff(augmentBatch(x, 8, NONE, new Rng(1)), x)).toBeLessThan(1e-5);
  });

  it('flips horizontally and vertically when asked to, per sample, channels last', () => {
    const x = ramp(3, 6, 5, 4);
    const h = augmentBatch(x, 6, { ...NONE, hflip: 1 }, new Rng(1));
    expect(h.shape).toEqual([3, 6, 6, 4]);
    const x6 = augmentBatch(x, 6, NONE, new Rng(1));
    expect(maxAbsDiff(h, tf.reverse(x6, 2))).toBeLessThan(1e-4);
    const v = augmentBatch(x, 6, { ...NONE, vflip: 1 }, new Rng(1));
    expect(maxAbsDiff(v, tf.reverse(x6, 1))).toBeLessThan(1e-4);
  });

  it('keeps each channel its own through crop, flip and blur (no channel-order mix-up)', () => {
    // Channel c holds the constant 10*c: any mixing of channels with space would show.
    const x = tf.tile(tf.reshape(tf.tensor1d([0, 10, 20]), [1, 1, 1, 3]), [2, 16, 16, 1]) as tf.Tensor4D;
    const cfg: AugmentConfig = { ...AUG_PRESETS['aug-set-2'], blur: { p: 1, kernels: [5], sigma: [1, 2] } };
    const y = augmentBatch(x, 8, cfg, new Rng(5));
    const per = tf.mean(y, [0, 1, 2]).dataSync();
    expect(Array.from(per).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 10, 20]);
    expect(tf.max(tf.abs(tf.sub(y, tf.mean(y, [0, 1, 2], true)))).dataSync()[0]).toBeLessThan(1e-4);
  });

  it('is deterministic under a seed and differs between seeds', () => {
    const x = ramp(4, 16, 16, 2);
    const cfg = augmentConfig('aug-set-3');
    const a = augmentBatch(x, 8, cfg, new Rng(11));
    const b = augmentBatch(x, 8, cfg, new Rng(11));
    const c = augmentBatch(x, 8, cfg, new Rng(12));
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(0.01);
  });

  it('crops sample a sub-window: values stay within the source range', () => {
    const x = ramp(2, 32, 32, 1);
    const y = augmentBatch(x, 16, { ...NONE, crop: { scale: [0.2, 0.3], ratio: [1, 1] } }, new Rng(2));
    expect(tf.max(y).dataSync()[0]).toBeLessThanOrEqual(tf.max(x).dataSync()[0] + 1e-6);
    expect(tf.min(y).dataSync()[0]).toBeGreaterThanOrEqual(tf.min(x).dataSync()[0] - 1e-6);
    expect(maxAbsDiff(y, augmentBatch(x, 16, NONE, new Rng(2)))).toBeGreaterThan(0.01);
  });

  it('blur keeps a constant image constant and smooths noise', () => {
    const rng = new Rng(4);
    const noise = tf.tensor4d(Float32Array.from({ length: 16 * 16 * 2 }, () => rng.normal()), [1, 16, 16, 2]);
    const blurred = augmentBatch(noise, 16, { ...NONE, blur: { p: 1, kernels: [7], sigma: [2, 2] } }, new Rng(1));
    const variance = (t: tf.Tensor) => tf.moments(t).variance.dataSync()[0];
    expect(variance(blurred)).toBeLessThan(variance(noise) * 0.5);
    const flat = tf.fill([1, 8, 8, 2], 3) as tf.Tensor4D;
    expect(maxAbsDiff(augmentBatch(flat, 8, { ...NONE, blur: { p: 1, kernels: [5], sigma: [1, 1] } }, new Rng(1)), flat)).toBeLessThan(1e-5);
  });

  it('grayscale sets every channel to the channel mean', () => {
    const x = ramp(1, 4, 4, 3);
    const y = augmentBatch(x, 4, { ...NONE, grayscale: { p: 1 } }, new Rng(1));
    expect(maxAbsDiff(y, tf.tile(tf.mean(x, 3, true), [1, 1, 1, 3]))).toBeLessThan(1e-5);
  });

  it('brightness/contrast moves each sample mean by at most the brightness bound', () => {
    const x = ramp(8, 8, 8, 2);
    const y = augmentBatch(x, 8, { ...NONE, brightnessContrast: { p: 1, brightness: 0.2, contrast: 0.2 } }, new Rng(9));
    const shift = tf.abs(tf.sub(tf.mean(y, [1, 2, 3]), tf.mean(x, [1, 2, 3]))).dataSync();
    for (const s of shift) expect(s).toBeLessThanOrEqual(0.2 + 1e-5);
    expect(Math.max(...shift)).toBeGreaterThan(0);
  });

  it('elastic with alpha 0 changes nothing, with alpha 3 moves pixels', () => {
    const x = ramp(2, 16, 16, 2);
    const still = augmentBatch(x, 16, { ...NONE, elastic: { p: 1, alpha: 0, sigma: 8 } }, new Rng(1));
    expect(maxAbsDiff(still, x)).toBeLessThan(1e-5);
    const moved = augmentBatch(x, 16, { ...NONE, elastic: { p: 1, alpha: 3, sigma: 8 } }, new Rng(1));
    expect(maxAbsDiff(moved, x)).toBeGreaterThan(0.01);
  });

  it('leaks no tensors', () => {
    const x = ramp(4, 16, 16, 3);
    const cfg = augmentConfig('aug-set-3', { elastic: true });
    augmentBatch(x, 8, cfg, new Rng(1)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) augmentBatch(x, 8, cfg, new Rng(i)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
