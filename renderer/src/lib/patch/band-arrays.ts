import { checkBandData, type BandArray, type BandData } from '#common/preview/band-data.js';
import type { BandArrays, BandDtype } from '#common/api/contract.js';

const ARRAYS: Record<BandDtype, { new (buffer: ArrayBuffer): BandArray; BYTES_PER_ELEMENT: number }> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  float32: Float32Array,
};

function base64Bytes(text: string, band: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new RangeError(`band ${band}: data is not base64`);
  }
  // A fresh buffer: typed-array views need an offset aligned to their element size.
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A patch.bands payload as the typed arrays the previews draw from, checked band by band. */
export function decodeBandArrays(payload: BandArrays): BandData {
  const bands: Record<string, BandArray> = {};
  for (const { name, dtype, data } of payload.bands) {
    const Array = ARRAYS[dtype];
    if (!Array) throw new RangeError(`band ${name}: unknown dtype ${JSON.stringify(dtype)}`);
    const bytes = base64Bytes(data, name);
    if (bytes.byteLength % Array.BYTES_PER_ELEMENT !== 0) {
      throw new RangeError(`band ${name}: ${bytes.byteLength} bytes is not a whole number of ${dtype} values`);
    }
    bands[name] = new Array(bytes.buffer);
  }
  return checkBandData({ sensor: payload.sensor, width: payload.width, height: payload.height, bands });
}
