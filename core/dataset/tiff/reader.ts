import { DatasetFileError } from '../../common/util/file-error.js';
import { byteHistogram } from '../../common/util/byte-histogram.js';
import { bandHistogram, canDecodeBlocks, decodeBlocks } from './block-raster.js';
import { parseTiffDirectory, type TiffDirectory } from './directory.js';
import { memoryBytes, withFileHead, type TiffBytes } from './file-bytes.js';
import { decodeWithGeotiff } from './geotiff-raster.js';
import type { PixelWindow, Raster, RasterHeader, ReadOptions } from './types.js';

/**
 * How much of a file readHeader reads at first. GDAL puts the directory and GeoTIFF tags at the
 * start, and a 256-row patch in one-row strips has 2 KiB of offsets and counts; whatever lies
 * further is read on demand.
 */
export const HEADER_READ_BYTES = 16 * 1024;

/** A parsed TIFF: the header is known, pixels decode on demand. */
export interface TiffFile {
  header: RasterHeader;
  read(opts?: ReadOptions): Promise<Raster>;
}

/**
 * Runs `use` with the bytes of a file or of memory. A file is never read whole: its first
 * HEADER_READ_BYTES, then only the ranges its header names (directory values, the strips or
 * tiles a read needs), each checked by parseTiffDirectory to lie inside the file.
 */
function withBytes<T>(source: string | Uint8Array, use: (bytes: TiffBytes) => Promise<T>): Promise<T> {
  return typeof source === 'string' ? withFileHead(source, HEADER_READ_BYTES, use) : use(memoryBytes(source));
}

function checkBands(file: string, header: RasterHeader, bands: number[]): void {
  bands.forEach((b, i) => {
    if (!Number.isInteger(b) || b < 0 || b >= header.bands) {
      throw new RangeError(`${file}: bands[${i}] = ${b} is not a band of this file (it has ${header.bands}: 0..${header.bands - 1})`);
    }
  });
}

function checkWindow(file: string, header: RasterHeader, w: PixelWindow): void {
  const fields = [w.x, w.y, w.width, w.height];
  const ok =
    fields.every(Number.isInteger) && w.x >= 0 && w.y >= 0 && w.width > 0 && w.height > 0 &&
    w.x + w.width <= header.width && w.y + w.height <= header.height;
  if (!ok) {
    throw new RangeError(`${file}: window x=${w.x} y=${w.y} ${w.width}x${w.height} is not inside the ${header.width}x${header.height} image`);
  }
}

async function decode(dir: TiffDirectory, bytes: TiffBytes, opts: ReadOptions): Promise<Raster> {
  const { header } = dir;
  const bands = opts.bands ? [...opts.bands] : Array.from({ length: header.bands }, (_, i) => i);
  const window = opts.window ?? { x: 0, y: 0, width: header.width, height: header.height };
  checkBands(bytes.file, header, bands);
  checkWindow(bytes.file, header, window);
  try {
    const data = canDecodeBlocks(dir)
      ? await decodeBlocks(dir, bytes, bytes.file, bands, window)
      : await decodeWithGeotiff(dir, bytes.file, bands, window);
    return { width: window.width, height: window.height, dtype: header.dtype, bands, data };
  } catch (err) {
    // E.g. a corrupt header claiming a tile too large to allocate.
    if (err instanceof DatasetFileError) throw err;
    throw new DatasetFileError(bytes.file, `cannot decode: ${(err as Error).message}`);
  }
}

/**
 * The 256-bin histogram of one band of a uint8 image (value -> pixel count); `check` sees the
 * header first and may refuse the file.
 */
export function readBandHistogram(source: string | Uint8Array, band: number, check?: (header: RasterHeader) => void): Promise<Uint32Array> {
  return withBytes(source, (bytes) => bandHistogramOf(bytes, band, check));
}

async function bandHistogramOf(bytes: TiffBytes, band: number, check?: (header: RasterHeader) => void): Promise<Uint32Array> {
  const dir = await parseTiffDirectory(bytes);
  check?.(dir.header);
  checkBands(bytes.file, dir.header, [band]);
  if (dir.header.dtype === 'uint8' && canDecodeBlocks(dir)) {
    try {
      return await bandHistogram(dir, bytes, bytes.file, band);
    } catch (err) {
      if (err instanceof DatasetFileError) throw err;
      throw new DatasetFileError(bytes.file, `cannot decode: ${(err as Error).message}`);
    }
  }
  const raster = await decode(dir, bytes, { bands: [band] });
  if (!(raster.data[0] instanceof Uint8Array)) throw new RangeError(`${bytes.file}: a byte histogram needs uint8 pixels, not ${raster.dtype}`);
  return byteHistogram(raster.data[0]);
}

/** Runs `use` on the parsed first image of a file (kept open meanwhile) or of the given bytes. */
export function withTiff<T>(source: string | Uint8Array, use: (tiff: TiffFile) => Promise<T>): Promise<T> {
  return withBytes(source, async (bytes) => {
    const dir = await parseTiffDirectory(bytes);
    return use({ header: dir.header, read: (opts = {}) => decode(dir, bytes, opts) });
  });
}

/**
 * Parses the first image of the given bytes or of a file. A file's `read` opens it again and
 * reads only what it needs; withTiff reads the header once for header and pixels.
 */
export async function openTiff(source: string | Uint8Array): Promise<TiffFile> {
  if (typeof source !== 'string') return withTiff(source, async (tiff) => tiff);
  const header = await readHeader(source);
  return { header, read: (opts = {}) => withTiff(source, (tiff) => tiff.read(opts)) };
}

/**
 * The header, checked by `check`, with the first block of band 0 decoded: a compression that
 * does not match the stored bytes fails here (indexing), not when the pixels are first wanted.
 */
export function readCheckedHeader(source: string | Uint8Array, check?: (header: RasterHeader) => void): Promise<RasterHeader> {
  return withTiff(source, async (tiff) => {
    check?.(tiff.header);
    await tiff.read({ bands: [0], window: { x: 0, y: 0, width: 1, height: 1 } });
    return tiff.header;
  });
}

/** The header of the first image; for a path only the first HEADER_READ_BYTES are read, unless the directory lies further. */
export async function readHeader(source: string | Uint8Array): Promise<RasterHeader> {
  if (typeof source !== 'string') return (await parseTiffDirectory(memoryBytes(source))).header;
  return withFileHead(source, HEADER_READ_BYTES, async (bytes) => (await parseTiffDirectory(bytes)).header);
}

/** Decodes the requested bands (all by default) inside the window (whole image by default). */
export function readRaster(source: string | Uint8Array, opts: ReadOptions = {}): Promise<Raster> {
  return withTiff(source, (tiff) => tiff.read(opts));
}
