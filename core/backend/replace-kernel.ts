import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';

/**
 * Registers `config` in place of whatever kernel of that name the backend has (registerKernel
 * alone warns and keeps the old one) and returns the kernel it replaced, if any.
 */
export function replaceKernel(config: KernelConfig): KernelFunc | undefined {
  const previous = getKernel(config.kernelName, config.backendName);
  if (previous) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
  return previous?.kernelFunc;
}
