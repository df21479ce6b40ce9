import {
  engine,
  getBackend,
  getKernel,
  util,
  zerosLike,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type Tensor1D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { NativeKernels } from './addon.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * Training-mode BatchNorm as one kernel (statistics and normalisation in two passes) and one
 * gradient kernel, instead of tfjs' moments + batchNorm chain, whose forward and backward are a
 * dozen elementwise kernels and reductions over the full activation each.
 */
export const BATCH_NORM_TRAIN = 'Sen12msBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'Sen12msBatchNormTrainGrad';

interface BatchNormTrainAttrs {
  varianceEpsilon: number;
}

function float32(kernel: string, tensors: Record<string, TensorInfo>): void {
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
}

export function nativeBatchNormKernels(native: NativeKernels): KernelConfig[] {
  const forward: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
    float32(BATCH_NORM_TRAIN, { x, scale, offset });
    const channels = x.shape[x.shape.length - 1]!;
    const heap = new WasmHeap(backend);
    const y = heap.output(x.shape);
    const mean = heap.output([channels]);
    const variance = heap.output([channels]);
    native.batchNormTrain(
      heap.buffer(), util.sizeFromShape(x.shape) / channels, channels, (attrs as unknown as BatchNormTrainAttrs).varianceEpsilon,
      heap.offset(x), heap.offset(scale), heap.offset(offset), heap.offset(y), heap.offset(mean), heap.offset(variance),
    );
    return [y, mean, variance];
  };

  const gradient: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, x, scale, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'mean' | 'variance', TensorInfo>;
    float32(BATCH_NORM_TRAIN_GRAD, { dy, x, scale, mean, variance });
    const channels = x.shape[x.shape.length - 1]!;
    const heap = new WasmHeap(backend);
    const dx = heap.output(x.shape);
    const dScale = heap.output([channels]);
    const dOffset = heap.output([channels]);
    native.batchNormTrainGrad(
      heap.buffer(), util.sizeFromShape(x.shape) / channels, channels, (attrs as unknown as BatchNormTrainAttrs).varianceEpsilon,
      heap.offset(dy), heap.offset(x), heap.offset(scale), heap.offset(mean), heap.offset(variance),
      heap.offset(dx), heap.offset(dScale), heap.offset(dOffset),
    );
    return [dx, dScale, dOffset];
  };

  return [
    { kernelName: BATCH_NORM_TRAIN, backendName: 'wasm', kernelFunc: forward },
    { kernelName: BATCH_NORM_TRAIN_GRAD, backendName: 'wasm', kernelFunc: gradient },
  ];
}

/**
 * The batch statistics are outputs only for the running averages: the gradient treats them as
 * constants (their own gradients, if any, are dropped), which is what the normalised output's
 * gradient already accounts for.
 */
export const batchNormTrainGradConfig: GradConfig = {
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [x, scale, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor];
    // All three at once, here: tfjs runs each input's closure in its own tidy, which would
    // dispose the two gradients a closure computed but did not return.
    const [dx, dScale, dOffset] = dy
      ? (engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, scale, mean, variance }, attrs) as Tensor[])
      : [zerosLike(x), zerosLike(scale), zerosLike(scale)];
    return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
  },
};

/**
 * BatchNorm with the batch's own statistics, through the fused kernel when the active backend
 * has one; undefined otherwise (the caller composes it from tfjs ops).
 */
export function fusedBatchNormTrain(
  x: Tensor,
  scale: Tensor1D,
  offset: Tensor1D,
  varianceEpsilon: number,
): { y: Tensor; mean: Tensor1D; variance: Tensor1D } | undefined {
  if (!getKernel(BATCH_NORM_TRAIN, getBackend())) return undefined;
  const [y, mean, variance] = engine().runKernel(BATCH_NORM_TRAIN, { x, scale, offset }, { varianceEpsilon }) as Tensor[];
  return { y: y!, mean: mean as Tensor1D, variance: variance as Tensor1D };
}
