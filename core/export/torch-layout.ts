import { paramKind } from '../models/params.js';
import type { HostTensor } from './host-tensor.js';

/**
 * A ParamStore entry in PyTorch's layout: conv kernels HWIO [kh, kw, in, out] become OIHW
 * [out, in, kh, kw], dense kernels [in, out] become [out, in]; vectors (biases, BatchNorm
 * weights and buffers) are the same in both.
 */
export function toTorchLayout(name: string, tensor: HostTensor): HostTensor {
  if (tensor.dtype !== 'float32') throw new Error(`parameter ${name}: expected float32, got ${tensor.dtype}`);
  const { shape, values } = tensor;
  switch (paramKind(name, shape.length)) {
    case 'vector':
      return tensor;
    case 'dense': {
      const [inF, outF] = shape;
      const out = new Float32Array(values.length);
      for (let i = 0; i < inF; i++) for (let o = 0; o < outF; o++) out[o * inF + i] = values[i * outF + o];
      return { dtype: 'float32', shape: [outF, inF], values: out };
    }
    case 'conv': {
      const [kh, kw, inC, outC] = shape;
      const out = new Float32Array(values.length);
      let src = 0;
      for (let h = 0; h < kh; h++) {
        for (let w = 0; w < kw; w++) {
          for (let i = 0; i < inC; i++) {
            for (let o = 0; o < outC; o++) out[((o * inC + i) * kh + h) * kw + w] = values[src++];
          }
        }
      }
      return { dtype: 'float32', shape: [outC, inC, kh, kw], values: out };
    }
  }
}

/**
 * The inverse of toTorchLayout: conv kernels OIHW -> HWIO, dense
 * kernels [out, in] -> [in, out]; vectors unchanged.
 */
export function fromTorchLayout(name: string, tensor: HostTensor): HostTensor {
  if (tensor.dtype !== 'float32') throw new Error(`parameter ${name}: expected float32, got ${tensor.dtype}`);
  const { shape, values } = tensor;
  switch (paramKind(name, shape.length)) {
    case 'vector':
      return tensor;
    case 'dense': {
      const [outF, inF] = shape;
      const out = new Float32Array(values.length);
      for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) out[i * outF + o] = values[o * inF + i];
      return { dtype: 'float32', shape: [inF, outF], values: out };
    }
    case 'conv': {
      const [outC, inC, kh, kw] = shape;
      const out = new Float32Array(values.length);
      let src = 0;
      for (let o = 0; o < outC; o++) {
        for (let i = 0; i < inC; i++) {
          for (let h = 0; h < kh; h++) {
            for (let w = 0; w < kw; w++) out[((h * kw + w) * inC + i) * outC + o] = values[src++];
          }
        }
      }
      return { dtype: 'float32', shape: [kh, kw, inC, outC], values: out };
    }
  }
}
