import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm the native kernels use (not in its public typings' index). */
interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/** Tensors of the wasm backend seen as byte offsets into its heap, which the addon reads and writes in place. */
export class WasmHeap {
  private readonly backend: WasmBackendInternals;

  constructor(backend: unknown) {
    this.backend = backend as unknown as WasmBackendInternals;
  }

  offset(t: TensorInfo): number {
    const data = this.backend.dataIdMap.get(t.dataId);
    if (!data) throw new Error(`tensor of shape [${t.shape}] is not on the wasm backend`);
    return data.memoryOffset;
  }

  output(shape: number[]): TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  /** Read after the outputs are allocated: allocating may grow the heap and replace its buffer. */
  buffer(): ArrayBufferLike {
    return this.backend.wasm.HEAPU8.buffer;
  }
}
