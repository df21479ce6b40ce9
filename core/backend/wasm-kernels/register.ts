import { replaceKernel } from '../replace-kernel.js';
import { registerTrainingGradients } from '../training-gradients.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';

/**
 * Makes the wasm backend able to train a ResNet at a usable speed: adds the missing
 * Conv2DBackpropFilter, replaces Conv2DBackpropInput with an XNNPACK-backed one, and registers
 * the gradients (FusedBatchNorm's broadcasting instead of tiling). Safe to call more than once.
 */
export function registerWasmTrainingKernels(): void {
  replaceKernel(conv2DBackpropFilterConfig);
  replaceKernel(conv2DBackpropInputConfig);
  registerTrainingGradients();
}
