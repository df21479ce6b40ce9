import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  type Conv2DAttrs,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { NativeKernels } from './addon.js';
import { WasmHeap } from './wasm-heap.js';

type Conv2DInfo = backend_util.Conv2DInfo;

/** The shape arguments every native convolution entry takes, in its order. */
function nativeShape(info: Conv2DInfo): number[] {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.filterHeight, info.filterWidth, info.outChannels, info.outHeight, info.outWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
    info.dilationHeight, info.dilationWidth,
  ];
}

function supported(format: string, ...tensors: TensorInfo[]): boolean {
  return format === 'NHWC' && tensors.every((t) => t.dtype === 'float32');
}

/**
 * Conv2D and its two gradients on the native GEMM. `fallback` is the kernel registered before
 * (XNNPACK's), kept for what the native path does not cover (NCHW, non-float32).
 */
export function nativeConvKernels(native: NativeKernels, fallback: (name: string) => KernelFunc): KernelConfig[] {
  const conv2d: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    if (!supported(dataFormat, x, filter)) return fallback(Conv2D)(args);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides, dilations, pad, dimRoundingMode,
    );
    const heap = new WasmHeap(args.backend);
    const y = heap.output(info.outShape);
    if (info.outShape.some((d) => d === 0)) return y;
    native.conv2d(heap.buffer(), heap.offset(x), heap.offset(filter), heap.offset(y), ...nativeShape(info));
    return y;
  };

  const backpropInput: KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (!supported(dataFormat, dy, filter)) return fallback(Conv2DBackpropInput)(args);
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode,
    );
    const heap = new WasmHeap(args.backend);
    const dx = heap.output(info.inShape);
    if (info.inShape.some((d) => d === 0)) return dx;
    native.conv2dBackpropInput(heap.buffer(), heap.offset(dy), heap.offset(filter), heap.offset(dx), ...nativeShape(info));
    return dx;
  };

  const backpropFilter: KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (!supported(dataFormat, x, dy)) return fallback(Conv2DBackpropFilter)(args);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode,
    );
    const heap = new WasmHeap(args.backend);
    const dFilter = heap.output(filterShape);
    if (filterShape.some((d) => d === 0)) return dFilter;
    native.conv2dBackpropFilter(heap.buffer(), heap.offset(x), heap.offset(dy), heap.offset(dFilter), ...nativeShape(info));
    return dFilter;
  };

  return [
    { kernelName: Conv2D, backendName: 'wasm', kernelFunc: conv2d },
    { kernelName: Conv2DBackpropInput, backendName: 'wasm', kernelFunc: backpropInput },
    { kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: backpropFilter },
  ];
}
