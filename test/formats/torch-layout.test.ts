import { describe, expect, it } from 'vitest';
import { toTorchLayout } from '../../core/formats/torch-layout.js';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 1);

describe('toTorchLayout', () => {
  it('moves conv kernels from HWIO to OIHW element by element', () => {
    const [kh, kw, inC, outC] = [3, 2, 4, 5];
    const hwio = iota(kh * kw * inC * outC);
    const oihw = toTorchLayout('layer1.0.conv1.weight', { dtype: 'float32', shape: [kh, kw, inC, outC], values: hwio });
    expect(oihw.shape).toEqual([outC, inC, kh, kw]);
    for (let h = 0; h < kh; h++)
      for (let w = 0; w < kw; w++)
        for (let i = 0; i < inC; i++)
          for (let o = 0; o < outC; o++) {
            expect(oihw.values[((o * inC + i) * kh + h) * kw + w]).toBe(hwio[((h * kw + w) * inC + i) * outC + o]);
          }
  });

  it('transposes dense kernels from [in, out] to [out, in]', () => {
    const t = toTorchLayout('fc.weight', { dtype: 'float32', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(t.shape).toEqual([3, 2]);
    expect([...t.values]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('leaves vectors alone and refuses other ranks', () => {
    const v = { dtype: 'float32' as const, shape: [3], values: iota(3) };
    expect(toTorchLayout('bn1.running_var', v)).toEqual(v);
    expect(() => toTorchLayout('odd', { dtype: 'float32', shape: [1, 1, 1], values: iota(1) })).toThrow(/odd: unexpected rank 3/);
  });
});
