import { add, batchNorm as tfBatchNorm, moments, mul, tidy, type Rank, type Tensor, type Tensor1D } from '@tensorflow/tfjs-core';

import { fusedBatchNormTrain } from '../backend/native-kernels/batch-norm-train.js';
import type { ParamSpec } from './param-spec.js';
import { requireParam, type ParamStore } from './params.js';

/** PyTorch's nn.BatchNorm2d defaults. */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/**
 * training: normalise with the batch's own statistics (else with the running ones).
 * updateStats: in training, also move the running statistics towards the batch's. Kept separate
 * because it is state: a caller that re-runs a batch (finite differences, a second view) may
 * not want to count it twice.
 */
export interface BatchNormMode {
  training: boolean;
  updateStats: boolean;
}

export const EVAL: BatchNormMode = { training: false, updateStats: false };
export const TRAIN: BatchNormMode = { training: true, updateStats: true };

/** weight 1, bias 0, running_mean 0, running_var 1, as torch initialises them. */
export function batchNormSpecs(prefix: string, channels: number): ParamSpec[] {
  const shape = [channels];
  return [
    { name: `${prefix}.weight`, shape, init: { dist: 'constant', value: 1 } },
    { name: `${prefix}.bias`, shape, init: { dist: 'constant', value: 0 } },
    { name: `${prefix}.running_mean`, shape, init: { dist: 'constant', value: 0 } },
    { name: `${prefix}.running_var`, shape, init: { dist: 'constant', value: 1 } },
  ];
}

/** BatchNorm over the last (channel) axis of an NHWC or NC tensor. */
export function batchNorm<R extends Rank>(store: ParamStore, prefix: string, x: Tensor<R>, mode: BatchNormMode): Tensor<R> {
  const weight = requireParam(store, `${prefix}.weight`) as Tensor1D;
  const bias = requireParam(store, `${prefix}.bias`) as Tensor1D;
  const runningMean = requireParam(store, `${prefix}.running_mean`);
  const runningVar = requireParam(store, `${prefix}.running_var`);
  if (!mode.training) return tfBatchNorm(x, runningMean as Tensor1D, runningVar as Tensor1D, bias, weight, BN_EPS);

  const perChannel = x.size / x.shape[x.rank - 1];
  if (perChannel < 2) {
    throw new Error(`${prefix}: batch statistics need more than one value per channel, got ${perChannel}`);
  }
  const fused = fusedBatchNormTrain(x, weight, bias, BN_EPS);
  const { mean, variance } = fused ?? (moments(x, [...Array(x.rank - 1).keys()]) as { mean: Tensor1D; variance: Tensor1D });
  if (mode.updateStats) {
    tidy(() => {
      // PyTorch normalises with the biased variance but tracks the unbiased one.
      const unbiased = mul(variance, perChannel / (perChannel - 1));
      runningMean.assign(add(mul(runningMean, 1 - BN_MOMENTUM), mul(mean, BN_MOMENTUM)));
      runningVar.assign(add(mul(runningVar, 1 - BN_MOMENTUM), mul(unbiased, BN_MOMENTUM)));
    });
  }
  return fused ? (fused.y as Tensor<R>) : tfBatchNorm(x, mean, variance, bias, weight, BN_EPS);
}
