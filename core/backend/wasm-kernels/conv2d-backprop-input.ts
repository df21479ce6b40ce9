import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composeWasmKernels } from './kernel-scope.js';
import { cropForConv } from './pad-or-crop.js';

/**
 * dx is the forward convolution of dy, spread out by the stride (zeros in between), with the
 * filter flipped in space and its channel axes swapped. The stock wasm kernel is a plain loop;
 * this runs on XNNPACK.
 */
const conv2DBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput on wasm supports only NHWC, got ${dataFormat}`);
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = info;
  return composeWasmKernels(backend as KernelBackend, (run) => {
    let spread = dy;
    if (sh > 1 || sw > 1) {
      // Seen as [N*OH, 1, OW, C], padding axis 1 by sh-1 and the channels by (sw-1)*C lays the
      // zeros out exactly as [N, OH*sh, OW*sw, C] with dy at every (sh, sw)-th position: one
      // rank-4 pad instead of a scatter.
      const rows = run('Reshape', { x: spread }, { shape: [batchSize * outHeight, 1, outWidth, outChannels] });
      const padded = run('PadV2', { x: rows }, {
        paddings: [[0, 0], [0, sh - 1], [0, 0], [0, (sw - 1) * outChannels]],
        constantValue: 0,
      });
      spread = run('Reshape', { x: padded }, { shape: [batchSize, outHeight * sh, outWidth * sw, outChannels] });
    }
    const flipped = run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    const top = info.filterHeight - 1 - info.padInfo.top;
    const left = info.filterWidth - 1 - info.padInfo.left;
    const { x: input, pad: convPad } = cropForConv(run, spread, {
      top,
      bottom: info.inHeight + info.filterHeight - 1 - outHeight * sh - top,
      left,
      right: info.inWidth + info.filterWidth - 1 - outWidth * sw - left,
    });
    return run('Conv2D', { x: input, filter: swapped }, { strides: [1, 1], pad: convPad, dataFormat: 'NHWC', dilations: [1, 1] });
  });
};

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm,
};
