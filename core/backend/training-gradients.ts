import { registerGradient } from '@tensorflow/tfjs-core';
// tfjs-core's node bundle registers no gradients at all (only the @tensorflow/tfjs umbrella,
// not installed, and tfjs-layers' bundle carry them); importing tfjs-layers registers all of them.
import '@tensorflow/tfjs-layers';
import { fusedBatchNormGradConfig } from './wasm-kernels/fused-batch-norm-grad.js';

/**
 * Makes sure every tfjs gradient is registered, with FusedBatchNorm's replaced by the
 * broadcasting one. Must run after anything that (re-)registers the stock gradients, such as
 * loading tfjs-node, which brings the umbrella package.
 */
export function registerTrainingGradients(): void {
  registerGradient(fusedBatchNormGradConfig);
}
