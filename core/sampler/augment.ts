import * as tf from '@tensorflow/tfjs-core';
import type { AugmentConfig } from '../common/training/augment-presets.js';
import type { Rng } from '../util/rng.js';

/**
 * Augmentations for MoCo views, on normalised NHWC batches (channels last throughout: the
 * reference code fed channel-first arrays to channel-last augmentations, a defect not to copy).
 * Every random choice comes from the caller's Rng, so a seeded run draws the same views.
 */

/** One augmented view of every sample of `x` ([N, H, W, C]), resized to outSize x outSize. */
export function augmentBatch(x: tf.Tensor4D, outSize: number, cfg: AugmentConfig, rng: Rng): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const boxes = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) boxes.set(cropBox(h, w, cfg, rng), i * 4);
  return tf.tidy(() => {
    const src = cfg.elastic ? elasticBatch(x, cfg.elastic, rng) : x;
    // Flips are folded into the crop box (y1 > y2 flips vertically), so crop, resize and flip
    // are one bilinear resampling.
    let out = tf.image.cropAndResize(src, tf.tensor2d(boxes, [n, 4]), tf.range(0, n, 1, 'int32') as tf.Tensor1D, [outSize, outSize], 'bilinear');
    if (cfg.blur) out = blurSome(out, cfg.blur, rng);
    if (cfg.brightnessContrast) out = jitterSome(out, cfg.brightnessContrast, rng);
    if (cfg.grayscale) out = grayscaleSome(out, cfg.grayscale.p, rng);
    return out;
  });
}

function cropBox(h: number, w: number, cfg: AugmentConfig, rng: Rng): [number, number, number, number] {
  let [y1, x1, y2, x2] = [0, 0, 1, 1];
  if (cfg.crop) {
    const { scale, ratio } = cfg.crop;
    // torchvision's RandomResizedCrop: ten tries at an area/aspect that fits, else the whole image.
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = h * w * rng.uniform(scale[0], scale[1]);
      const aspect = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
      const cw = Math.round(Math.sqrt(area * aspect));
      const ch = Math.round(Math.sqrt(area / aspect));
      if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
        const top = rng.int(h - ch + 1);
        const left = rng.int(w - cw + 1);
        [y1, x1, y2, x2] = [top / (h - 1), left / (w - 1), (top + ch - 1) / (h - 1), (left + cw - 1) / (w - 1)];
        break;
      }
    }
  }
  if (rng.next() < cfg.hflip) [x1, x2] = [x2, x1];
  if (rng.next() < cfg.vflip) [y1, y2] = [y2, y1];
  return [y1, x1, y2, x2];
}

function gaussianKernel(size: number, sigma: number): Float32Array {
  const k = new Float32Array(size);
  const r = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += k[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  return k.map((v) => v / sum);
}

function perSample(x: tf.Tensor4D, p: number, rng: Rng, fn: (sample: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const n = x.shape[0];
  const chosen = Array.from({ length: n }, () => rng.next() < p);
  if (!chosen.some(Boolean)) return x;
  const samples = tf.split(x, n, 0) as tf.Tensor4D[];
  return tf.concat(samples.map((s, i) => (chosen[i] ? fn(s) : s)), 0) as tf.Tensor4D;
}

function blurSome(x: tf.Tensor4D, cfg: NonNullable<AugmentConfig['blur']>, rng: Rng): tf.Tensor4D {
  const c = x.shape[3];
  return perSample(x, cfg.p, rng, (s) => {
    const size = cfg.kernels[rng.int(cfg.kernels.length)];
    const k = gaussianKernel(size, rng.uniform(cfg.sigma[0], cfg.sigma[1]));
    const r = (size - 1) / 2;
    // Reflect padding keeps edges from darkening towards zero.
    const padded = tf.mirrorPad(s, [[0, 0], [r, r], [r, r], [0, 0]], 'reflect');
    const taps = new Float32Array(size * c);
    for (let i = 0; i < size; i++) taps.fill(k[i], i * c, (i + 1) * c);
    const vertical = tf.depthwiseConv2d(padded, tf.tensor4d(taps, [size, 1, c, 1]), 1, 'valid');
    return tf.depthwiseConv2d(vertical, tf.tensor4d(taps, [1, size, c, 1]), 1, 'valid');
  });
}

function jitterSome(x: tf.Tensor4D, cfg: NonNullable<AugmentConfig['brightnessContrast']>, rng: Rng): tf.Tensor4D {
  return perSample(x, cfg.p, rng, (s) => {
    const contrast = rng.uniform(1 - cfg.contrast, 1 + cfg.contrast);
    const brightness = rng.uniform(-cfg.brightness, cfg.brightness);
    const mean = tf.mean(s, [1, 2], true);
    return tf.add(tf.add(tf.mul(tf.sub(s, mean), contrast), mean), brightness);
  });
}

function grayscaleSome(x: tf.Tensor4D, p: number, rng: Rng): tf.Tensor4D {
  const c = x.shape[3];
  return perSample(x, p, rng, (s) => tf.tile(tf.mean(s, 3, true), [1, 1, 1, c]) as tf.Tensor4D);
}

/**
 * Elastic deformation. A Gaussian-smoothed noise field with sigma 50 px is nearly constant over a
 * patch, so the field is drawn on a coarse control grid (spacing ~ sigma) and interpolated: the
 * same smoothness at a fraction of the cost. Displacements are scaled to at most `alpha` pixels.
 */
function elasticBatch(x: tf.Tensor4D, cfg: NonNullable<AugmentConfig['elastic']>, rng: Rng): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const chosen = Array.from({ length: n }, () => rng.next() < cfg.p);
  if (!chosen.some(Boolean)) return x;
  const src = x.dataSync() as Float32Array;
  const out = new Float32Array(src);
  const grid = Math.max(2, Math.ceil(Math.max(h, w) / cfg.sigma) + 1);
  for (let i = 0; i < n; i++) {
    if (!chosen[i]) continue;
    const gx = Float32Array.from({ length: grid * grid }, () => rng.uniform(-1, 1) * cfg.alpha);
    const gy = Float32Array.from({ length: grid * grid }, () => rng.uniform(-1, 1) * cfg.alpha);
    const base = i * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        const dx = bilinear(gx, grid, (xx / Math.max(1, w - 1)) * (grid - 1), (y / Math.max(1, h - 1)) * (grid - 1));
        const dy = bilinear(gy, grid, (xx / Math.max(1, w - 1)) * (grid - 1), (y / Math.max(1, h - 1)) * (grid - 1));
        const sx = Math.min(w - 1, Math.max(0, xx + dx));
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        const x0 = Math.floor(sx), y0 = Math.floor(sy);
        const x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
        const fx = sx - x0, fy = sy - y0;
        const o = base + (y * w + xx) * c;
        for (let ch = 0; ch < c; ch++) {
          const v00 = src[base + (y0 * w + x0) * c + ch], v01 = src[base + (y0 * w + x1) * c + ch];
          const v10 = src[base + (y1 * w + x0) * c + ch], v11 = src[base + (y1 * w + x1) * c + ch];
          out[o + ch] = (v00 * (1 - fx) + v01 * fx) * (1 - fy) + (v10 * (1 - fx) + v11 * fx) * fy;
        }
      }
    }
  }
  return tf.tensor4d(out, [n, h, w, c]);
}

function bilinear(field: Float32Array, grid: number, gx: number, gy: number): number {
  const x0 = Math.min(grid - 2, Math.floor(gx)), y0 = Math.min(grid - 2, Math.floor(gy));
  const fx = gx - x0, fy = gy - y0;
  const at = (yy: number, xx: number) => field[yy * grid + xx];
  return (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) + (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy;
}
