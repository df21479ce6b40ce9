import { add, conv2d as tfConv2d, matMul, type Tensor2D, type Tensor4D } from '@tensorflow/tfjs-core';

import type { ParamSpec } from './param-spec.js';
import { requireParam, type ParamStore } from './params.js';

/**
 * Convolution and linear layers as functions over a ParamStore, with PyTorch's padding and
 * initialisations so that weights mean the same thing on both sides.
 */

export type ConvInit = 'kaiming-fan-out' | 'torch-default';

/** A bias-free conv kernel [k, k, in, out]. */
export function convSpec(name: string, k: number, inChannels: number, outChannels: number, init: ConvInit): ParamSpec {
  const shape = [k, k, inChannels, outChannels];
  // torchvision's ResNet: kaiming_normal_(mode='fan_out', nonlinearity='relu'). A plain
  // nn.Conv2d (the input block): kaiming_uniform_(a=sqrt(5)), i.e. U(+-1/sqrt(fan_in)).
  return init === 'kaiming-fan-out'
    ? { name, shape, init: { dist: 'normal', std: Math.sqrt(2 / (outChannels * k * k)) } }
    : { name, shape, init: { dist: 'uniform', bound: 1 / Math.sqrt(inChannels * k * k) } };
}

/**
 * Convolution with PyTorch's symmetric zero padding `pad` on every side. tf's 'same' pads
 * stride-2 inputs asymmetrically, which would shift every feature map by one pixel.
 */
export function conv2d(store: ParamStore, name: string, x: Tensor4D, stride: number, pad: number): Tensor4D {
  const kernel = requireParam(store, name) as Tensor4D;
  return tfConv2d(x, kernel, stride, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
}

/** nn.Linear: weight [in, out] and bias, both U(+-1/sqrt(in)). */
export function linearSpecs(prefix: string, inFeatures: number, outFeatures: number): ParamSpec[] {
  const init = { dist: 'uniform', bound: 1 / Math.sqrt(inFeatures) } as const;
  return [
    { name: `${prefix}.weight`, shape: [inFeatures, outFeatures], init },
    { name: `${prefix}.bias`, shape: [outFeatures], init },
  ];
}

export function linear(store: ParamStore, prefix: string, x: Tensor2D): Tensor2D {
  return add(matMul(x, requireParam(store, `${prefix}.weight`) as Tensor2D), requireParam(store, `${prefix}.bias`));
}
