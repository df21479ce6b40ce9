/**
 * A small GeoTIFF writer (classic TIFF, one image): strips or tiles, pixel-interleaved or
 * band-sequential, uncompressed or DEFLATE with predictors, georeferenced the way GDAL writes it,
 * so that GDAL reads the files without a warning. The whole file is built in memory: patches
 * are a few MB and this keeps the writer a single pass with no seeks.
 */
import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { deflateSync } from 'node:zlib';
import { defaultModel, encodeGeoKeys, geoKeysForEpsg, TAG_GEO_ASCII_PARAMS, TAG_GEO_DOUBLE_PARAMS } from './geokeys-encode.js';
import { floatingPointDifference, horizontalDifference } from './predictor-encode.js';
import { TYPED_ARRAYS, type GeoKeys, type SampleType, type TypedRaster } from './types.js';

/** North-up georeferencing by EPSG code; `origin` is the upper-left corner of the upper-left pixel. */
export interface EpsgGeoreference {
  epsg: number;
  origin: [number, number];
  /** Pixel width and height in CRS units, both positive. */
  pixelSize: [number, number];
  /** Only needed for the rare projected codes in 4001..4999 (the default there is geographic). */
  model?: 'projected' | 'geographic';
}

/** Tags as they go into the file, e.g. for user-defined or unknown CRSs. */
export interface RawGeoreference {
  geoKeys: GeoKeys;
  tiepoint: number[];
  pixelScale: number[];
}

export interface WriteTiffOptions {
  width: number;
  height: number;
  dtype: SampleType;
  /** One array per band, row-major, width * height samples of `dtype`'s array type. */
  bands: TypedRaster[];
  compression?: 'none' | 'deflate';
  /** 1 none, 2 horizontal differencing (integers), 3 floating point; needs compression. */
  predictor?: 1 | 2 | 3;
  layout?: 'strips' | 'tiles';
  /** Default as GDAL's: strips of about 8 KiB. */
  rowsPerStrip?: number;
  /** Square tiles, a multiple of 16 (TIFF's rule); default 256. */
  tileSize?: number;
  /** 1 pixel-interleaved (default, like SEN12MS), 2 band-sequential. */
  planar?: 1 | 2;
  georef?: EpsgGeoreference | RawGeoreference;
  /** Written as GDAL_NODATA. */
  noData?: number;
}

/** TIFF SampleFormat: 1 unsigned, 2 signed, 3 IEEE float. */
const SAMPLE_FORMAT: Record<SampleType, number> = {
  uint8: 1,
  uint16: 1,
  uint32: 1,
  int8: 2,
  int16: 2,
  int32: 2,
  float32: 3,
  float64: 3,
};

const SHORT = 3;
const LONG = 4;
const ASCII = 2;
const DOUBLE = 12;
const TYPE_SIZE: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [DOUBLE]: 8 };

/** Files are written in the host's byte order so typed-array views need no byte swapping. */
const LITTLE_ENDIAN = endianness() === 'LE';

interface Tag {
  id: number;
  type: number;
  values: number[] | string;
}

type Chunk = Uint8Array;

export function encodeTiff(opts: WriteTiffOptions): Uint8Array {
  const o = validate(opts);
  const chunks = buildChunks(o);
  const tags = buildTags(o, chunks.map((c) => c.length));
  return assemble(tags, chunks);
}

/** Writes to a temporary name and renames, so readers never see a half-written file. */
export async function writeTiff(path: string, opts: WriteTiffOptions): Promise<void> {
  const bytes = encodeTiff(opts);
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

type Validated = Required<Omit<WriteTiffOptions, 'georef' | 'noData'>> & Pick<WriteTiffOptions, 'georef' | 'noData'>;

function validate(opts: WriteTiffOptions): Validated {
  const { width, height, dtype, bands } = opts;
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  const ArrayType = TYPED_ARRAYS[dtype];
  if (!ArrayType) throw new RangeError(`unsupported dtype "${dtype}"`);
  if (bands.length < 1 || bands.length > 65535) throw new RangeError(`bands: need 1..65535 bands, got ${bands.length}`);
  bands.forEach((b, i) => {
    if (!(b instanceof ArrayType)) throw new TypeError(`bands[${i}] must be a ${ArrayType.name} for dtype ${dtype}`);
    if (b.length !== width * height) throw new RangeError(`bands[${i}] has ${b.length} samples, expected ${width * height} (${width}x${height})`);
  });
  const compression = opts.compression ?? 'none';
  const predictor = opts.predictor ?? 1;
  const float = SAMPLE_FORMAT[dtype] === 3;
  if (predictor !== 1 && compression === 'none') throw new RangeError(`predictor ${predictor} needs compression 'deflate'`);
  if (predictor === 2 && float) throw new RangeError(`predictor 2 is for integer samples; use 3 for ${dtype}`);
  if (predictor === 3 && !float) throw new RangeError(`predictor 3 is for floating-point samples, not ${dtype}`);
  const layout = opts.layout ?? 'strips';
  const tileSize = opts.tileSize ?? 256;
  if (layout === 'tiles' && (!Number.isInteger(tileSize) || tileSize < 16 || tileSize % 16 !== 0)) {
    throw new RangeError(`tileSize must be a positive multiple of 16, got ${tileSize}`);
  }
  const planar = opts.planar ?? 1;
  const samplesPerRow = width * (planar === 1 ? bands.length : 1);
  const rowsPerStrip = opts.rowsPerStrip ?? Math.max(1, Math.floor(8192 / (samplesPerRow * ArrayType.BYTES_PER_ELEMENT)));
  if (!Number.isInteger(rowsPerStrip) || rowsPerStrip < 1) throw new RangeError(`rowsPerStrip must be a positive integer, got ${rowsPerStrip}`);
  if (opts.noData !== undefined && typeof opts.noData !== 'number') throw new TypeError('noData must be a number');
  return { ...opts, compression, predictor, layout, tileSize, planar, rowsPerStrip };
}

/** The image in file sample order: pixel-interleaved, or the bands one after another. */
function fileOrder(o: Validated): TypedRaster {
  const spp = o.bands.length;
  const n = o.width * o.height;
  const out = new TYPED_ARRAYS[o.dtype](n * spp);
  if (o.planar === 2 || spp === 1) {
    o.bands.forEach((b, i) => out.set(b, i * n));
  } else {
    for (let b = 0; b < spp; b++) {
      const band = o.bands[b];
      for (let i = 0, j = b; i < n; i++, j += spp) out[j] = band[i];
    }
  }
  return out;
}

/** Encoded strips or tiles in file order (plane by plane when band-sequential). */
function buildChunks(o: Validated): Chunk[] {
  const image = fileOrder(o);
  const planes = o.planar === 2 ? o.bands.length : 1;
  const spp = o.planar === 2 ? 1 : o.bands.length;
  const planeSamples = o.width * o.height * spp;
  const chunks: Chunk[] = [];
  for (let p = 0; p < planes; p++) {
    const plane = image.subarray(p * planeSamples, (p + 1) * planeSamples);
    if (o.layout === 'strips') {
      for (let y = 0; y < o.height; y += o.rowsPerStrip) {
        const strip = plane.subarray(y * o.width * spp, Math.min(o.height, y + o.rowsPerStrip) * o.width * spp);
        chunks.push(encodeChunk(o, strip, o.width * spp, spp));
      }
    } else {
      const t = o.tileSize;
      for (let ty = 0; ty < o.height; ty += t) {
        for (let tx = 0; tx < o.width; tx += t) {
          // Edge tiles are stored full size; the part outside the image stays zero.
          const tile = new TYPED_ARRAYS[o.dtype](t * t * spp);
          const w = Math.min(t, o.width - tx);
          for (let y = 0; y < Math.min(t, o.height - ty); y++) {
            const from = ((ty + y) * o.width + tx) * spp;
            tile.set(plane.subarray(from, from + w * spp), y * t * spp);
          }
          chunks.push(encodeChunk(o, tile, t * spp, spp));
        }
      }
    }
  }
  return chunks;
}

function encodeChunk(o: Validated, samples: TypedRaster, rowSamples: number, stride: number): Chunk {
  let bytes: Uint8Array;
  if (o.predictor === 3) {
    bytes = floatingPointDifference(samples as Float32Array | Float64Array, rowSamples, stride, LITTLE_ENDIAN);
  } else {
    if (o.predictor === 2) horizontalDifference(samples, rowSamples, stride);
    bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  }
  return o.compression === 'deflate' ? new Uint8Array(deflateSync(bytes)) : bytes;
}

function buildTags(o: Validated, chunkSizes: number[]): Tag[] {
  const spp = o.bands.length;
  const bits = TYPED_ARRAYS[o.dtype].BYTES_PER_ELEMENT * 8;
  const tiled = o.layout === 'tiles';
  const tags: Tag[] = [
    { id: 256, type: LONG, values: [o.width] },
    { id: 257, type: LONG, values: [o.height] },
    { id: 258, type: SHORT, values: new Array(spp).fill(bits) },
    { id: 259, type: SHORT, values: [o.compression === 'deflate' ? 8 : 1] },
    // 1 = BlackIsZero: bands are measurements, not colours.
    { id: 262, type: SHORT, values: [1] },
    { id: tiled ? 324 : 273, type: LONG, values: new Array(chunkSizes.length).fill(0) },
    { id: 277, type: SHORT, values: [spp] },
    { id: tiled ? 325 : 279, type: LONG, values: chunkSizes },
    { id: 284, type: SHORT, values: [o.planar] },
    { id: 339, type: SHORT, values: new Array(spp).fill(SAMPLE_FORMAT[o.dtype]) },
  ];
  if (!tiled) tags.push({ id: 278, type: LONG, values: [o.rowsPerStrip] });
  if (tiled) tags.push({ id: 322, type: LONG, values: [o.tileSize] }, { id: 323, type: LONG, values: [o.tileSize] });
  if (o.predictor !== 1) tags.push({ id: 317, type: SHORT, values: [o.predictor] });
  // Bands beyond the photometric one are unspecified extra samples (0); GDAL warns without it.
  if (spp > 1) tags.push({ id: 338, type: SHORT, values: new Array(spp - 1).fill(0) });
  if (o.georef) tags.push(...georefTags(o.georef));
  if (o.noData !== undefined) tags.push({ id: 42113, type: ASCII, values: noDataText(o.noData) });
  return tags.sort((a, b) => a.id - b.id);
}

function georefTags(g: EpsgGeoreference | RawGeoreference): Tag[] {
  let keys: GeoKeys;
  let tiepoint: number[];
  let scale: number[];
  if ('epsg' in g) {
    const [sx, sy] = g.pixelSize;
    if (!(sx > 0 && sy > 0)) throw new RangeError(`georef.pixelSize must be two positive numbers, got [${g.pixelSize}]`);
    if (!g.origin.every(Number.isFinite)) throw new RangeError(`georef.origin must be two finite numbers, got [${g.origin}]`);
    keys = geoKeysForEpsg(g.epsg, g.model ?? defaultModel(g.epsg));
    tiepoint = [0, 0, 0, g.origin[0], g.origin[1], 0];
    scale = [sx, sy, 0];
  } else {
    if (g.tiepoint.length < 6 || g.tiepoint.length % 6 !== 0) throw new RangeError('georef.tiepoint needs 6 numbers per tie point');
    if (g.pixelScale.length !== 3) throw new RangeError('georef.pixelScale needs 3 numbers');
    ({ geoKeys: keys, tiepoint, pixelScale: scale } = g);
  }
  const enc = encodeGeoKeys(keys);
  const tags: Tag[] = [
    { id: 33550, type: DOUBLE, values: scale },
    { id: 33922, type: DOUBLE, values: tiepoint },
    { id: 34735, type: SHORT, values: enc.directory },
  ];
  if (enc.doubles.length > 0) tags.push({ id: TAG_GEO_DOUBLE_PARAMS, type: DOUBLE, values: enc.doubles });
  if (enc.ascii.length > 0) tags.push({ id: TAG_GEO_ASCII_PARAMS, type: ASCII, values: enc.ascii });
  return tags;
}

/** GDAL's spelling of special values. */
function noDataText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

function valueCount(tag: Tag): number {
  // ASCII values are NUL-terminated.
  return typeof tag.values === 'string' ? tag.values.length + 1 : tag.values.length;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Header, IFD and its out-of-line values, then the chunks, each 8-byte aligned. */
function assemble(tags: Tag[], chunks: Chunk[]): Uint8Array {
  const ifdSize = 2 + tags.length * 12 + 4;
  let pos = 8 + ifdSize;
  const valueOffsets = tags.map((t) => {
    const size = valueCount(t) * TYPE_SIZE[t.type];
    if (size <= 4) return -1;
    pos = align8(pos);
    const at = pos;
    pos += size;
    return at;
  });
  const chunkOffsets = chunks.map((c) => {
    pos = align8(pos);
    const at = pos;
    pos += c.length;
    return at;
  });
  if (pos > 0xffffffff) throw new RangeError(`image too large for a classic TIFF (${pos} bytes)`);
  for (const t of tags) if (t.id === 273 || t.id === 324) t.values = chunkOffsets;

  const out = new Uint8Array(pos);
  const view = new DataView(out.buffer);
  const le = LITTLE_ENDIAN;
  out.set(le ? [0x49, 0x49] : [0x4d, 0x4d], 0);
  view.setUint16(2, 42, le);
  view.setUint32(4, 8, le);
  view.setUint16(8, tags.length, le);
  tags.forEach((t, i) => {
    const entry = 10 + i * 12;
    view.setUint16(entry, t.id, le);
    view.setUint16(entry + 2, t.type, le);
    view.setUint32(entry + 4, valueCount(t), le);
    const at = valueOffsets[i] < 0 ? entry + 8 : valueOffsets[i];
    if (valueOffsets[i] >= 0) view.setUint32(entry + 8, at, le);
    writeValues(view, at, t, le);
  });
  view.setUint32(10 + tags.length * 12, 0, le);
  chunks.forEach((c, i) => out.set(c, chunkOffsets[i]));
  return out;
}

function writeValues(view: DataView, at: number, tag: Tag, le: boolean): void {
  if (typeof tag.values === 'string') {
    for (let i = 0; i < tag.values.length; i++) {
      const code = tag.values.charCodeAt(i);
      if (code > 127) throw new RangeError(`tag ${tag.id}: ASCII value has a non-ASCII character`);
      view.setUint8(at + i, code);
    }
    return;
  }
  const size = TYPE_SIZE[tag.type];
  tag.values.forEach((v, i) => {
    if (tag.type === SHORT) view.setUint16(at + i * size, v, le);
    else if (tag.type === LONG) view.setUint32(at + i * size, v, le);
    else view.setFloat64(at + i * size, v, le);
  });
}
