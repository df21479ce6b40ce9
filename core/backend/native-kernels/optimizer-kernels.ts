import { engine, getBackend, getKernel, util, type KernelConfig, type KernelFunc, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeKernels } from './addon.js';
import { WasmHeap } from './wasm-heap.js';

/**
 * The parameter updates of a step as one pass each instead of five or six tfjs elementwise
 * kernels over every weight: SGD with momentum and weight decay, and MoCo's key blend. Same
 * float32 operations in the same order as the composed ops, so the same bits.
 */
export const SGD_MOMENTUM = 'Sen12msSgdMomentum';
export const BLEND = 'Sen12msBlend';

interface SgdMomentumAttrs {
  lr: number;
  momentum: number;
  weightDecay: number;
}

interface BlendAttrs {
  wa: number;
  wb: number;
}

function sameFloat32(kernel: string, tensors: Record<string, TensorInfo>): number {
  const [first, ...rest] = Object.entries(tensors);
  for (const [name, t] of [first!, ...rest]) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
    if (!util.arraysEqual(t.shape, first![1].shape)) throw new Error(`${kernel}: ${name} has shape [${t.shape}], ${first![0]} [${first![1].shape}]`);
  }
  return util.sizeFromShape(first![1].shape);
}

export function nativeOptimizerKernels(native: NativeKernels): KernelConfig[] {
  const sgd: KernelFunc = ({ inputs, backend, attrs }) => {
    const { p, g, buf } = inputs as { p: TensorInfo; g: TensorInfo; buf: TensorInfo };
    const size = sameFloat32(SGD_MOMENTUM, { p, g, buf });
    const { lr, momentum, weightDecay } = attrs as unknown as SgdMomentumAttrs;
    const heap = new WasmHeap(backend);
    const pOut = heap.output(p.shape);
    const bufOut = heap.output(p.shape);
    if (size > 0) {
      native.sgdMomentum(heap.buffer(), size, lr, momentum, weightDecay, heap.offset(p), heap.offset(g), heap.offset(buf), heap.offset(pOut), heap.offset(bufOut));
    }
    return [pOut, bufOut];
  };
  const blend: KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const size = sameFloat32(BLEND, { a, b });
    const { wa, wb } = attrs as unknown as BlendAttrs;
    const heap = new WasmHeap(backend);
    const out = heap.output(a.shape);
    if (size > 0) native.blend(heap.buffer(), size, wa, wb, heap.offset(a), heap.offset(b), heap.offset(out));
    return out;
  };
  return [
    { kernelName: SGD_MOMENTUM, backendName: 'wasm', kernelFunc: sgd },
    { kernelName: BLEND, backendName: 'wasm', kernelFunc: blend },
  ];
}

const available = (kernel: string) => getKernel(kernel, getBackend()) !== undefined;

/** [p', buf'] of one SGD momentum step through the fused kernel; undefined where the backend has none. */
export function fusedSgdMomentum(p: Tensor, g: Tensor, buf: Tensor, attrs: SgdMomentumAttrs): [Tensor, Tensor] | undefined {
  if (!available(SGD_MOMENTUM)) return undefined;
  return engine().runKernel(SGD_MOMENTUM, { p, g, buf }, { ...attrs }) as [Tensor, Tensor];
}

/** a * wa + b * wb through the fused kernel; undefined where the backend has none. */
export function fusedBlend(a: Tensor, b: Tensor, wa: number, wb: number): Tensor | undefined {
  if (!available(BLEND)) return undefined;
  return engine().runKernel(BLEND, { a, b }, { wa, wb }) as Tensor;
}
