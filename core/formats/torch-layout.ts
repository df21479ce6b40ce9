import { paramKind } from '../models/params.js';
import type { HostTensor } from './host-tensor.js';

/**
 * A ParamStore entry in PyTorch's layout: conv kernels HWIO [kh, kw, in, out] become OIHW
 * [out, in, kh, kw], dense kernels [in, out] become [out, in]; vectors (biases, BatchNorm
 * weights and buffers) are the same in both.
 */
export function toTorchLayout(name: string, tensor: HostTensor): HostTensor {
  return relayout(name, tensor, { dense: [1, 0], conv: [3, 2, 0, 1] });
}

/** The inverse of toTorchLayout: conv kernels OIHW -> HWIO, dense kernels [out, in] -> [in, out]. */
export function fromTorchLayout(name: string, tensor: HostTensor): HostTensor {
  return relayout(name, tensor, { dense: [1, 0], conv: [2, 3, 1, 0] });
}

function relayout(name: string, tensor: HostTensor, perms: { dense: number[]; conv: number[] }): HostTensor {
  if (tensor.dtype !== 'float32') throw new Error(`parameter ${name}: expected float32, got ${tensor.dtype}`);
  const kind = paramKind(name, tensor.shape.length);
  return kind === 'vector' ? tensor : transpose(tensor.values, tensor.shape, perms[kind]);
}

/** Row-major transpose: output axis i is input axis perm[i] (numpy's transpose). */
function transpose(values: Float32Array, shape: number[], perm: number[]): HostTensor {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const stride = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < index.length; d++) src += index[d] * stride[d];
    out[o] = values[src];
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return { dtype: 'float32', shape: outShape, values: out };
}
