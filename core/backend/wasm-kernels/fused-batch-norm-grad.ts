import {
  add,
  backend_util,
  FusedBatchNorm,
  mul,
  reshape,
  rsqrt,
  scalar,
  sub,
  sum,
  type FusedBatchNormAttrs,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';

/**
 * tfjs-core's gradient of FusedBatchNorm, term for term, except that the per-channel
 * 1/sqrt(var+eps) is broadcast against dy instead of first being tiled to the full activation
 * shape (that Tile alone cost ~250 ms per ResNet step on wasm). Same products, same sums, so
 * the results are the same to the last bit.
 */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const grad = dy as Tensor;
    const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved;
    const scaleValue = scale == null ? scalar(1) : scale;
    // Unlike tfjs, also reduces for a mean of shape [1, 1, 1, C] (moments with keepDims),
    // where tfjs' reshape fails.
    const reductionAxes = backend_util.getReductionAxes(mean.shape, x.shape);
    const perChannel = (t: Tensor) => reshape(reductionAxes.length > 0 ? sum(t, reductionAxes) : t, mean.shape);
    const xMinusMean = sub(x, mean);
    const dyTimesScale = mul(grad, scaleValue);
    const oneOverSqrtVariance = rsqrt(add(variance, scalar(varianceEpsilon)));
    const minusHalfRCube = mul(mul(mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance), scalar(-0.5));
    return {
      x: () => reshape(mul(mul(grad, oneOverSqrtVariance), scaleValue), x.shape),
      mean: () => perChannel(mul(mul(oneOverSqrtVariance, scalar(-1)), dyTimesScale)),
      variance: () => perChannel(mul(mul(minusHalfRCube, xMinusMean), dyTimesScale)),
      scale: () => perChannel(mul(grad, mul(xMinusMean, oneOverSqrtVariance))),
      offset: () => perChannel(grad),
    };
  },
};
