import { getKernel, registerGradient, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { replaceKernel } from '../replace-kernel.js';
import { loadNativeKernels, type NativeStatus } from './addon.js';
import { batchNormTrainGradConfig, nativeBatchNormKernels } from './batch-norm-train.js';
import { nativeConvKernels } from './conv-kernels.js';
import { nativeMatMulAndPoolKernels } from './matmul-and-pool-kernels.js';
import { nativeOptimizerKernels } from './optimizer-kernels.js';

export interface NativeKernelInfo {
  loaded: boolean;
  /** The GEMM micro-kernel in use and the threads the kernels run on. */
  isa?: string;
  threads?: number;
  error?: string;
}

// The kernels registered before ours (XNNPACK's, or our composed wasm ones), taken once.
const fallbacks = new Map<string, KernelFunc>();

function fallback(name: string): KernelFunc {
  const kernel = fallbacks.get(name);
  if (!kernel) throw new Error(`no wasm kernel '${name}' to fall back to`);
  return kernel;
}

let registered: NativeStatus | undefined;
let ours: KernelConfig[] = [];

/**
 * Puts the native kernels (convolutions, their gradients and BatchMatMul on a multi-threaded
 * GEMM, MaxPoolGrad, fused training BatchNorm and parameter updates) in place of the wasm
 * backend's, when the addon loads. Run after registerWasmTrainingKernels, whose kernels become
 * the fallbacks. Safe to call more than once.
 */
export function registerNativeKernels(): NativeKernelInfo {
  const status = loadNativeKernels();
  if (!status.ok) return { loaded: false, error: status.error };
  if (registered !== status) {
    ours = [
      ...nativeConvKernels(status.kernels, fallback),
      ...nativeBatchNormKernels(status.kernels),
      ...nativeMatMulAndPoolKernels(status.kernels, fallback),
      ...nativeOptimizerKernels(status.kernels),
    ];
    registered = status;
  }
  // Checked kernel by kernel: starting the wasm backend again (another initBackend) puts its own
  // gradient kernels back over some of ours.
  for (const config of ours) {
    if (getKernel(config.kernelName, config.backendName)?.kernelFunc === config.kernelFunc) continue;
    const previous = replaceKernel(config);
    if (previous) fallbacks.set(config.kernelName, previous);
  }
  registerGradient(batchNormTrainGradConfig);
  return { loaded: true, ...status.kernels.info() };
}

/**
 * Puts the wasm kernels back (benchmarks and tests compare the two in one process); the fused
 * BatchNorm kernel goes, so models compose BatchNorm from tfjs ops again.
 */
export function unregisterNativeKernels(): void {
  for (const config of ours) {
    unregisterKernel(config.kernelName, config.backendName);
    const previous = fallbacks.get(config.kernelName);
    if (previous) registerKernel({ ...config, kernelFunc: previous });
  }
  ours = [];
  registered = undefined;
}
