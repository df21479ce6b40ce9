import {
  backend_util,
  BatchMatMul,
  MaxPoolGrad,
  util,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { NativeKernels } from './addon.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * BatchMatMul (the projection head, InfoNCE against the queue, their gradients) on the native
 * GEMM, and MaxPoolGrad, whose wasm kernel is a plain loop. `fallback` is the wasm kernel for
 * what these do not cover (non-float32, batch shapes that broadcast other than from 1).
 */
export function nativeMatMulAndPoolKernels(native: NativeKernels, fallback: (name: string) => KernelFunc): KernelConfig[] {
  const batchMatMul: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const batchShapeA = a.shape.slice(0, -2);
    const batchShapeB = b.shape.slice(0, -2);
    const batchA = util.sizeFromShape(batchShapeA);
    const batchB = util.sizeFromShape(batchShapeB);
    const sameBatch = util.arraysEqual(batchShapeA, batchShapeB);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2 || (!sameBatch && batchA !== 1 && batchB !== 1)) {
      return fallback(BatchMatMul)(args);
    }
    const [ra, ca] = a.shape.slice(-2) as [number, number];
    const [rb, cb] = b.shape.slice(-2) as [number, number];
    const m = transposeA ? ca : ra;
    const k = transposeA ? ra : ca;
    const n = transposeB ? rb : cb;
    if ((transposeB ? cb : rb) !== k) {
      throw new Error(`BatchMatMul: inner dimensions ${k} and ${transposeB ? cb : rb} of shapes [${a.shape}] and [${b.shape}] differ`);
    }
    const heap = new WasmHeap(args.backend);
    const out = heap.output([...(batchA >= batchB ? batchShapeA : batchShapeB), m, n]);
    if (m * n * Math.max(batchA, batchB) === 0) return out;
    if (k === 0) return fallback(BatchMatMul)(args); // zeros; not worth a native path
    native.matMul(heap.buffer(), heap.offset(a), heap.offset(b), heap.offset(out), batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0);
    return out;
  };

  const maxPoolGrad: KernelFunc = (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    if (dy.dtype !== 'float32' || input.dtype !== 'float32') return fallback(MaxPoolGrad)(args);
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const heap = new WasmHeap(args.backend);
    const dx = heap.output(input.shape);
    if (util.sizeFromShape(input.shape) === 0) return dx;
    native.maxPoolGrad(
      heap.buffer(), heap.offset(dy), heap.offset(input), heap.offset(dx),
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
    );
    return dx;
  };

  return [
    { kernelName: BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul },
    { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad },
  ];
}
