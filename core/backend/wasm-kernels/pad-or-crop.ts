import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { RunKernel } from './kernel-scope.js';

/** Amounts to add on each side of the two spatial axes of an NHWC tensor; negative ones remove rows/columns. */
export interface SpatialPads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export type ExplicitConvPadding = [[0, 0], [number, number], [number, number], [0, 0]];

/**
 * Splits `pads` into a crop, done here with a slice, and the non-negative rest, returned as the
 * explicit padding of the convolution that follows (padding inside the conv costs no copy).
 */
export function cropForConv(run: RunKernel, x: TensorInfo, pads: SpatialPads): { x: TensorInfo; pad: ExplicitConvPadding } {
  const [n, h, w, c] = x.shape;
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  const cropped =
    cropTop + cropBottom + cropLeft + cropRight === 0
      ? x
      : run('Slice', { x }, { begin: [0, cropTop, cropLeft, 0], size: [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c] });
  const pad: ExplicitConvPadding = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ];
  return { x: cropped, pad };
}
