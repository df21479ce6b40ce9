import { describe, expect, it } from 'vitest';
import type { BandArrays } from '../../../core/common/api/contract.js';
import { decodeBandArrays } from '../../../renderer/src/lib/patch/band-arrays.js';

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

describe('decodeBandArrays', () => {
  it('turns base64 little-endian bands into typed arrays with the same values', () => {
    const vv = Float32Array.from([-12.5, Number.NaN, -3.25, -20]);
    const vh = Float32Array.from([-18, -19.5, Number.NaN, -25]);
    const data = decodeBandArrays({
      id: 'p',
      sensor: 's1',
      width: 2,
      height: 2,
      bands: [
        { name: 'VV', dtype: 'float32', data: b64(vv) },
        { name: 'VH', dtype: 'float32', data: b64(vh) },
      ],
    });
    expect(data.sensor).toBe('s1');
    expect(data.bands.VV).toBeInstanceOf(Float32Array);
    expect(Array.from(data.bands.VV!)).toEqual(Array.from(vv));
    expect(Array.from(data.bands.VH!)).toEqual(Array.from(vh));
  });

  it('decodes uint16 S2 values above 255 exactly', () => {
    const b4 = Uint16Array.from([0, 1, 4095, 65535, 10000, 257]);
    const data = decodeBandArrays({ id: 'p', sensor: 's2', width: 3, height: 2, bands: [{ name: 'B4', dtype: 'uint16', data: b64(b4) }] });
    expect(Array.from(data.bands.B4!)).toEqual(Array.from(b4));
  });

  it('refuses a band of the wrong size, type or name, naming it', () => {
    const base: BandArrays = { id: 'p', sensor: 's2', width: 2, height: 2, bands: [] };
    const short = { ...base, bands: [{ name: 'B2', dtype: 'uint16' as const, data: b64(Uint16Array.from([1, 2, 3])) }] };
    expect(() => decodeBandArrays(short)).toThrow(/B2/);
    const odd = { ...base, bands: [{ name: 'B3', dtype: 'uint16' as const, data: Buffer.from([1, 2, 3]).toString('base64') }] };
    expect(() => decodeBandArrays(odd)).toThrow(/B3: 3 bytes/);
    const wrongType = { ...base, bands: [{ name: 'B2', dtype: 'float32' as const, data: b64(new Float32Array(4)) }] };
    expect(() => decodeBandArrays(wrongType)).toThrow(/B2/);
    const unknown = { ...base, bands: [{ name: 'VV', dtype: 'uint16' as const, data: b64(new Uint16Array(4)) }] };
    expect(() => decodeBandArrays(unknown)).toThrow(/VV/);
  });
});
