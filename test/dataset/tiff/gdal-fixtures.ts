import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SampleType, TypedRaster } from '../../../core/dataset/tiff/types.js';

/** Fixtures made by gdal_translate from rasterio-written bases, with rasterio's reading of each. */

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./rasterio_fixtures.py', import.meta.url));

function works(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** Checked once: rasterio + numpy in Debian's python, and gdal_translate on PATH. */
export const GDAL_TOOLS = works(PYTHON, ['-c', 'import rasterio, numpy']) && works('gdal_translate', ['--version']);

export type Base = 'u8' | 'u16' | 'f32';

export interface Variant {
  name: string;
  base: Base;
  options: string[];
  tiled: boolean;
  compression: number;
  predictor: number;
  planarConfig: 1 | 2;
  littleEndian: boolean;
}

export interface Reference {
  width: number;
  height: number;
  count: number;
  dtype: SampleType;
  epsg: number;
  /** Affine a, b, c, d, e, f. */
  transform: number[];
  nodata: number | 'nan' | null;
  /** [rows, cols] of a block. */
  block: [number, number];
  tiled: boolean;
}

export interface Fixture extends Variant {
  file: string;
  ref: Reference;
  pixels: TypedRaster[];
}

// 16x16 tiles: 260 per band-sequential u16 file, so offset arrays lie beyond the directory.
const TILES = ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16'];
const STRIPS = ['-co', 'BLOCKYSIZE=7'];
const COMPRESSION: Record<string, number> = { NONE: 1, LZW: 5, DEFLATE: 8, PACKBITS: 32773, ZSTD: 50000 };
/** Decoded by geotiff.js, not the block decoder. */
export const ZSTD = COMPRESSION.ZSTD;

function variant(base: Base, tiled: boolean, compress: keyof typeof COMPRESSION, predictor: number, planarConfig: 1 | 2, littleEndian = true): Variant {
  const options = [
    ...(tiled ? TILES : STRIPS),
    '-co', `COMPRESS=${compress}`,
    '-co', `INTERLEAVE=${planarConfig === 1 ? 'PIXEL' : 'BAND'}`,
    ...(predictor > 1 ? ['-co', `PREDICTOR=${predictor}`] : []),
    ...(littleEndian ? [] : ['-co', 'ENDIANNESS=BIG']),
  ];
  const name = `${base}-${tiled ? 'tiles' : 'strips'}-${compress.toLowerCase()}-p${predictor}-planar${planarConfig}${littleEndian ? '' : '-be'}`;
  return { name, base, options, tiled, compression: COMPRESSION[compress], predictor, planarConfig, littleEndian };
}

export const VARIANTS: Variant[] = [
  ...(['u8', 'u16', 'f32'] as const).flatMap((b) => [
    variant(b, false, 'NONE', 1, 1),
    variant(b, true, 'NONE', 1, 1),
    variant(b, false, 'LZW', 1, 1),
    variant(b, true, 'DEFLATE', 1, 1),
    variant(b, false, 'DEFLATE', 2, 1),
    variant(b, true, 'DEFLATE', 2, 2),
    variant(b, false, 'NONE', 1, 2),
  ]),
  variant('u8', false, 'PACKBITS', 1, 1),
  variant('u16', true, 'PACKBITS', 1, 2),
  variant('u16', true, 'LZW', 2, 1),
  variant('f32', true, 'DEFLATE', 3, 1),
  variant('f32', false, 'DEFLATE', 3, 2),
  variant('f32', true, 'LZW', 3, 1),
  variant('u16', false, 'DEFLATE', 2, 1, false),
  variant('f32', true, 'DEFLATE', 3, 1, false),
  variant('u16', false, 'NONE', 1, 2, false),
  variant('u16', true, 'DEFLATE', 2, 2, false),
  variant('f32', false, 'NONE', 1, 1, false),
  variant('u16', true, 'ZSTD', 2, 1),
];

const ARRAYS: Record<string, new (buffer: ArrayBuffer) => TypedRaster> = {
  uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array,
};

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

function loadReference(file: string): { ref: Reference; pixels: TypedRaster[] } {
  const ref = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as Reference;
  const bin = fs.readFileSync(`${file}.bin`);
  const all = new ARRAYS[ref.dtype](bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length));
  const n = ref.width * ref.height;
  return { ref, pixels: Array.from({ length: ref.count }, (_, b) => all.subarray(b * n, (b + 1) * n)) };
}

/** Writes every variant into `dir` and reads each back with rasterio. */
export function makeFixtures(dir: string, variants: Variant[] = VARIANTS): Fixture[] {
  run(PYTHON, [SCRIPT, 'bases', dir]);
  const files = variants.map((v) => {
    const file = path.join(dir, `${v.name}.tif`);
    run('gdal_translate', ['-q', ...v.options, path.join(dir, `base-${v.base}.tif`), file]);
    return file;
  });
  run(PYTHON, [SCRIPT, 'reference', ...files]);
  return variants.map((v, i) => ({ ...v, file: files[i], ...loadReference(files[i]) }));
}

/** Equality that treats NaN as equal to NaN; returns the first differing index or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  }
  return -1;
}

/** The window of one band of a full-image reference, row-major. */
export function cropBand(band: ArrayLike<number>, width: number, w: { x: number; y: number; width: number; height: number }): number[] {
  const out: number[] = [];
  for (let y = w.y; y < w.y + w.height; y++) for (let x = w.x; x < w.x + w.width; x++) out.push(band[y * width + x]);
  return out;
}
