import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

export type RunKernel = (kernelName: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap) => TensorInfo;

/**
 * Lets a wasm kernel be composed of other wasm kernels. Going through tf ops instead would make
 * the engine track the intermediates as user tensors; calling the registered kernel functions
 * keeps them raw, and every intermediate except the returned one is freed here, also on error.
 */
export function composeWasmKernels(backend: KernelBackend, body: (run: RunKernel) => TensorInfo): TensorInfo {
  const temps: TensorInfo[] = [];
  const run: RunKernel = (kernelName, inputs, attrs = {}) => {
    const kernel = getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`the wasm backend has no '${kernelName}' kernel`);
    const out = kernel.kernelFunc({ inputs, attrs, backend });
    if (Array.isArray(out)) throw new Error(`the wasm kernel '${kernelName}' returned several outputs, expected one`);
    temps.push(out);
    return out;
  };
  let result: TensorInfo | undefined;
  try {
    result = body(run);
    if (!temps.includes(result)) throw new Error('a composed wasm kernel must return the output of one of its kernels');
    return result;
  } finally {
    for (const t of temps) if (t !== result) backend.disposeData(t.dataId);
  }
}
