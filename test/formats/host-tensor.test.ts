import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromSafetensor, readTensor, toSafetensor } from '../../core/formats/host-tensor.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('host tensors', () => {
  it('round-trips float32 and int32 tensors through safetensors bytes', async () => {
    for (const t of [tf.tensor2d([[1.5, -2], [3, 4]]), tf.tensor1d([7, -8, 9], 'int32')]) {
      const host = await readTensor(t);
      const stored = toSafetensor('x', host);
      expect(stored.dtype).toBe(t.dtype === 'float32' ? 'F32' : 'I32');
      expect(stored.data.byteLength).toBe(t.size * 4);
      expect(fromSafetensor(stored, 'src')).toEqual(host);
    }
  });

  it('reads values at an offset that is not a multiple of 4 (a Buffer slice of a file)', () => {
    const file = Buffer.alloc(9);
    file.writeFloatLE(0.5, 1);
    file.writeFloatLE(-3, 5);
    const host = fromSafetensor({ name: 'w', dtype: 'F32', shape: [2], data: file.subarray(1) }, 'src');
    expect([...host.values]).toEqual([0.5, -3]);
  });

  it('refuses dtypes the app does not store, naming the file and tensor', () => {
    expect(() => fromSafetensor({ name: 'w', dtype: 'F16', shape: [1], data: new Uint8Array(2) }, 'm.safetensors')).toThrow(
      /^m\.safetensors: tensor w: dtype F16 is not one this app stores/,
    );
  });
});
