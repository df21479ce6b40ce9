import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packageFile } from '../../util/package-root.js';
import { errorSummary } from '../optional-packages.js';

/**
 * The C++ kernels of core/backend/native (built by `npm install` with node-gyp; N-API, so the
 * same binary loads in Node and Electron). Tensors are byte offsets into the wasm heap.
 */
export interface NativeKernels {
  info(): { isa: 'avx512' | 'avx2' | 'generic'; threads: number };
  /** Offsets: x, filter, y. Shape: batch, inH, inW, inC, filterH, filterW, outC, outH, outW, strideH, strideW, padTop, padLeft, dilationH, dilationW. */
  conv2d(heap: ArrayBufferLike, x: number, filter: number, y: number, ...shape: number[]): void;
  /** Offsets: dy, filter, dx; the forward convolution's shape. */
  conv2dBackpropInput(heap: ArrayBufferLike, dy: number, filter: number, dx: number, ...shape: number[]): void;
  /** Offsets: x, dy, dFilter; the forward convolution's shape. */
  conv2dBackpropFilter(heap: ArrayBufferLike, x: number, dy: number, dFilter: number, ...shape: number[]): void;
  batchNormTrain(
    heap: ArrayBufferLike, rows: number, channels: number, eps: number,
    x: number, gamma: number, beta: number, y: number, mean: number, variance: number,
  ): void;
  batchNormTrainGrad(
    heap: ArrayBufferLike, rows: number, channels: number, eps: number,
    dy: number, x: number, gamma: number, mean: number, variance: number, dx: number, dGamma: number, dBeta: number,
  ): void;
  /** out[i] = op(a[i]) x op(b[i]); a batch of 1 broadcasts; transposes are 0 or 1. */
  matMul(
    heap: ArrayBufferLike, a: number, b: number, out: number,
    batchA: number, batchB: number, m: number, n: number, k: number, transposeA: number, transposeB: number,
  ): void;
  /** Shape: batch, inH, inW, channels, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft. */
  maxPoolGrad(heap: ArrayBufferLike, dy: number, x: number, dx: number, ...shape: number[]): void;
  sgdMomentum(
    heap: ArrayBufferLike, size: number, lr: number, momentum: number, weightDecay: number,
    p: number, g: number, buf: number, pOut: number, bufOut: number,
  ): void;
  /** out = a * wa + b * wb */
  blend(heap: ArrayBufferLike, size: number, wa: number, wb: number, a: number, b: number, out: number): void;
}

export type NativeStatus = { ok: true; kernels: NativeKernels; path: string } | { ok: false; error: string };

export const NATIVE_ADDON_PATH = 'core/backend/native/build/Release/sen12ms_kernels.node';

let status: NativeStatus | undefined;

/**
 * Loads the addon once. Absent (the build failed or was skipped: no compiler) or switched off
 * with SEN12MS_NATIVE_KERNELS=0, training falls back to the wasm kernels alone.
 */
export function loadNativeKernels(): NativeStatus {
  if (status) return status;
  if (process.env.SEN12MS_NATIVE_KERNELS === '0') return (status = { ok: false, error: 'switched off by SEN12MS_NATIVE_KERNELS=0' });
  const path = packageFile(NATIVE_ADDON_PATH);
  if (!existsSync(path)) {
    return (status = { ok: false, error: `not built (${path} is missing): run \`npm run build:native\` with a C++ compiler` });
  }
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    kernels.info();
    status = { ok: true, kernels, path };
  } catch (err) {
    status = { ok: false, error: `${path} does not load: ${errorSummary(err)}` };
  }
  return status;
}
