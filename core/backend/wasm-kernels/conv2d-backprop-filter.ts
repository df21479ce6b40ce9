import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composeWasmKernels } from './kernel-scope.js';
import { cropForConv } from './pad-or-crop.js';

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co].
 * Read with ci as the batch, n as the input channel and dy as a filter of size OH x OW, that is
 * a forward convolution with stride 1 and dilation s, which the wasm backend runs on XNNPACK
 * (stock tfjs-backend-wasm 4.22 has no kernel for it at all).
 */
const conv2DBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports only NHWC, got ${dataFormat}`);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return composeWasmKernels(backend as KernelBackend, (run) => {
    const xT = run('Transpose', { x: x }, { perm: [3, 1, 2, 0] });
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    // Rows past the last window the forward pass read do not contribute: crop them; rows short
    // of it (bottom 'same' padding) become conv padding.
    const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - info.padInfo.top;
    const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - info.padInfo.left;
    const { x: input, pad: convPad } = cropForConv(run, xT, { top: info.padInfo.top, bottom, left: info.padInfo.left, right });
    const dW = run(
      'Conv2D',
      { x: input, filter: dyT },
      { strides: [1, 1], pad: convPad, dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] },
    );
    return run('Transpose', { x: dW }, { perm: [1, 2, 0, 3] });
  });
};

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
};
