import type { TypedRaster } from '../../../core/dataset/tiff/types.js';

/**
 * A minimal little-endian TIFF for tests that must not depend on GDAL or on the product's
 * writer: one uncompressed pixel-interleaved strip, the image directory after the pixels (as
 * some writers do), optional GeoKeys and GDAL_NODATA.
 */
export interface TinyTiffSpec {
  width: number;
  height: number;
  /** One array per band, width*height values each; all of the same type. */
  bands: TypedRaster[];
  epsg?: number;
  origin?: [number, number];
  noData?: string;
}

const SAMPLE_FORMAT: Record<string, number> = {
  Uint8Array: 1, Uint16Array: 1, Uint32Array: 1, Int8Array: 2, Int16Array: 2, Int32Array: 2, Float32Array: 3, Float64Array: 3,
};

export function tinyTiff(spec: TinyTiffSpec): Uint8Array {
  const { width, height, bands } = spec;
  const bytesPerSample = bands[0].BYTES_PER_ELEMENT;
  const n = width * height;
  const pixels = new Uint8Array(n * bands.length * bytesPerSample);
  const pv = new DataView(pixels.buffer);
  const put = (k: number, v: number) => {
    const at = k * bytesPerSample;
    switch (bands[0].constructor.name) {
      case 'Uint8Array': pv.setUint8(at, v); break;
      case 'Int8Array': pv.setInt8(at, v); break;
      case 'Uint16Array': pv.setUint16(at, v, true); break;
      case 'Int16Array': pv.setInt16(at, v, true); break;
      case 'Uint32Array': pv.setUint32(at, v, true); break;
      case 'Int32Array': pv.setInt32(at, v, true); break;
      case 'Float32Array': pv.setFloat32(at, v, true); break;
      default: pv.setFloat64(at, v, true);
    }
  };
  for (let p = 0; p < n; p++) for (let b = 0; b < bands.length; b++) put(p * bands.length + b, bands[b][p]);

  // Tag values that do not fit in 4 bytes go to an extra area after the IFD.
  type Entry = { tag: number; type: number; values: number[] | string };
  const entries: Entry[] = [
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: bands.map(() => bytesPerSample * 8) },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [1] },
    { tag: 273, type: 4, values: [8] },
    { tag: 277, type: 3, values: [bands.length] },
    { tag: 278, type: 4, values: [height] },
    { tag: 279, type: 4, values: [pixels.length] },
    { tag: 284, type: 3, values: [1] },
    { tag: 339, type: 3, values: bands.map(() => SAMPLE_FORMAT[bands[0].constructor.name]) },
  ];
  if (spec.origin) {
    entries.push({ tag: 33550, type: 12, values: [10, 10, 0] });
    entries.push({ tag: 33922, type: 12, values: [0, 0, 0, spec.origin[0], spec.origin[1], 0] });
  }
  if (spec.epsg) entries.push({ tag: 34735, type: 3, values: [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, spec.epsg] });
  if (spec.noData !== undefined) entries.push({ tag: 42113, type: 2, values: spec.noData + '\0' });

  const size = (t: number) => ({ 2: 1, 3: 2, 4: 4, 12: 8 })[t]!;
  const count = (e: Entry) => e.values.length;
  const ifdAt = 8 + pixels.length + (pixels.length % 2);
  const ifdSize = 2 + entries.length * 12 + 4;
  let extraAt = ifdAt + ifdSize;
  const extraSize = entries.reduce((s, e) => (count(e) * size(e.type) > 4 ? s + count(e) * size(e.type) + 1 : s), 0);
  const out = new Uint8Array(extraAt + extraSize + 8);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, ifdAt, true);
  out.set(pixels, 8);
  v.setUint16(ifdAt, entries.length, true);
  const writeValues = (at: number, e: Entry) => {
    for (let i = 0; i < count(e); i++) {
      const x = typeof e.values === 'string' ? e.values.charCodeAt(i) : e.values[i];
      if (e.type === 2) v.setUint8(at + i, x);
      else if (e.type === 3) v.setUint16(at + 2 * i, x, true);
      else if (e.type === 4) v.setUint32(at + 4 * i, x, true);
      else v.setFloat64(at + 8 * i, x, true);
    }
  };
  entries.forEach((e, k) => {
    const at = ifdAt + 2 + k * 12;
    v.setUint16(at, e.tag, true);
    v.setUint16(at + 2, e.type, true);
    v.setUint32(at + 4, count(e), true);
    if (count(e) * size(e.type) <= 4) {
      writeValues(at + 8, e);
    } else {
      extraAt += extraAt % 2;
      v.setUint32(at + 8, extraAt, true);
      writeValues(extraAt, e);
      extraAt += count(e) * size(e.type);
    }
  });
  return out;
}
