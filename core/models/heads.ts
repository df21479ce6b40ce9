import { relu, type Tensor2D } from '@tensorflow/tfjs-core';

import { linear, linearSpecs } from './layers.js';
import type { ParamSpec } from './param-spec.js';
import type { ParamStore } from './params.js';

/**
 * What sits on the pooled features. projection: MoCo-v2's MLP, Linear(d, d) -> ReLU ->
 * Linear(d, dim), named head.0 / head.2 as in an nn.Sequential. classifier: torchvision's
 * `fc`, Linear(d, numClasses), giving logits.
 */
export type HeadConfig = { kind: 'projection'; dim: number } | { kind: 'classifier'; numClasses: number };

/** MoCo-v2's embedding width. */
export const MOCO_DIM = 128;

export function headOutputDim(head: HeadConfig): number {
  return head.kind === 'projection' ? head.dim : head.numClasses;
}

export function headSpecs(head: HeadConfig, featureDim: number): ParamSpec[] {
  const outDim = headOutputDim(head);
  if (!Number.isInteger(outDim) || outDim < 1) {
    throw new Error(`${head.kind} head: output size must be a positive integer, got ${outDim}`);
  }
  return head.kind === 'projection'
    ? [...linearSpecs('head.0', featureDim, featureDim), ...linearSpecs('head.2', featureDim, outDim)]
    : linearSpecs('fc', featureDim, outDim);
}

export function headForward(store: ParamStore, head: HeadConfig, features: Tensor2D): Tensor2D {
  if (head.kind === 'classifier') return linear(store, 'fc', features);
  return linear(store, 'head.2', relu(linear(store, 'head.0', features)));
}
