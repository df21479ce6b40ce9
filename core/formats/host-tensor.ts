import { endianness } from 'node:os';
import type { Tensor } from '@tensorflow/tfjs-core';
import { DatasetFileError } from '../common/util/file-error.js';
import type { SafetensorsDtype, SafetensorsTensor } from './safetensors.js';

/**
 * A tensor's values on the host, independent of any tfjs backend: what checkpoints and exports
 * store, and what a trainer assigns back into its variables.
 */
export type HostTensor =
  | { dtype: 'float32'; shape: number[]; values: Float32Array }
  | { dtype: 'int32'; shape: number[]; values: Int32Array }
  | { dtype: 'bool'; shape: number[]; values: Uint8Array };

const TO_SAFETENSORS = { float32: 'F32', int32: 'I32', bool: 'BOOL' } as const satisfies Record<HostTensor['dtype'], SafetensorsDtype>;

export async function readTensor(tensor: Tensor): Promise<HostTensor> {
  const values = await tensor.data();
  const shape = [...tensor.shape];
  switch (tensor.dtype) {
    case 'float32':
      return { dtype: 'float32', shape, values: values as Float32Array };
    case 'int32':
      return { dtype: 'int32', shape, values: values as Int32Array };
    case 'bool':
      return { dtype: 'bool', shape, values: values as Uint8Array };
    default:
      throw new Error(`cannot store a ${tensor.dtype} tensor`);
  }
}

export async function readTensors(tensors: ReadonlyMap<string, Tensor>): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const [name, tensor] of tensors) out.set(name, await readTensor(tensor));
  return out;
}

/** A view of the host values as safetensors bytes (no copy). */
export function toSafetensor(name: string, tensor: HostTensor): SafetensorsTensor {
  assertLittleEndian();
  const { values } = tensor;
  return { name, dtype: TO_SAFETENSORS[tensor.dtype], shape: tensor.shape, data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

/** Safetensors bytes as host values; copies only when the bytes are not aligned for the type. */
export function fromSafetensor(tensor: SafetensorsTensor, source: string): HostTensor {
  assertLittleEndian();
  const { dtype, shape, data } = tensor;
  switch (dtype) {
    case 'F32':
      return { dtype: 'float32', shape, values: new Float32Array(...view(data, 4)) };
    case 'I32':
      return { dtype: 'int32', shape, values: new Int32Array(...view(data, 4)) };
    case 'BOOL':
      return { dtype: 'bool', shape, values: data };
    default:
      throw new DatasetFileError(source, `tensor ${tensor.name}: dtype ${dtype} is not one this app stores (F32, I32, BOOL)`);
  }
}

/** Buffer, offset and length for a typed array over `data`, copying when misaligned. */
function view(data: Uint8Array, elementBytes: number): [ArrayBufferLike, number, number] {
  // new Uint8Array(view) copies; Buffer#slice would not.
  const src = data.byteOffset % elementBytes === 0 ? data : new Uint8Array(data);
  return [src.buffer, src.byteOffset, src.byteLength / elementBytes];
}

// Typed arrays use the platform's byte order and safetensors is little-endian; every platform
// Node and Electron ship for is, but a silent byte swap would be worse than an error.
function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('safetensors I/O needs a little-endian platform');
}
