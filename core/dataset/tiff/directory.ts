import GeoTIFF, { type GeoTIFFImage, type ImageFileDirectory } from 'geotiff';
import { DatasetFileError } from '../../common/util/file-error.js';
import { readRange, type TiffBytes } from './file-bytes.js';
import { parseGeoKeys } from './geokeys.js';
import type { RasterHeader, RasterLayout, SampleType } from './types.js';

/** The first image of a TIFF as parsed by geotiff.js, plus what the block decoder needs. */
export interface TiffDirectory {
  header: RasterHeader;
  image: GeoTIFFImage;
  littleEndian: boolean;
  bytesPerSample: number;
  /** Byte offset and length of every strip or tile, in TIFF order. */
  blockOffsets: number[];
  blockByteCounts: number[];
}

type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0];

/** geotiff.js asks for fixed-size slices (1 KiB) that may run past the end: those are clipped. */
function sourceOf(bytes: TiffBytes): GeoTiffSource {
  const slice = (offset: number, length: number): ArrayBuffer => {
    const end = Math.min(offset + length, bytes.size);
    if (offset >= end) return new ArrayBuffer(0);
    const part = end <= bytes.head.length ? bytes.head.subarray(offset, end) : bytes.readAt(offset, end - offset);
    const out = new Uint8Array(part.length);
    out.set(part);
    return out.buffer;
  };
  const source = {
    fileSize: bytes.size,
    fetch: async (slices: { offset: number; length: number }[]) => slices.map((s) => slice(s.offset, s.length)),
    close: async () => undefined,
  };
  return source as unknown as GeoTiffSource;
}

interface Magic {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfd: number;
}

/** The file header: byte order, classic or BigTIFF, where the first directory is. */
function magic(bytes: TiffBytes): Magic {
  const { head, file, size } = bytes;
  if (size === 0) throw new DatasetFileError(file, 'empty file');
  const order = String.fromCharCode(head[0], head[1] ?? 0);
  const littleEndian = order === 'II';
  if (!littleEndian && order !== 'MM') throw new DatasetFileError(file, 'not a TIFF file (bad magic bytes)');
  if (size < 8) throw new DatasetFileError(file, `truncated: ${size} bytes, shorter than a TIFF header`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getUint16(2, littleEndian);
  if (version !== 42 && version !== 43) throw new DatasetFileError(file, 'not a TIFF file (bad magic bytes)');
  if (version === 43 && size < 16) throw new DatasetFileError(file, `truncated: ${size} bytes, shorter than a BigTIFF header`);
  const firstIfd = version === 42 ? view.getUint32(4, littleEndian) : Number(view.getBigUint64(8, littleEndian));
  if (firstIfd >= size) {
    throw new DatasetFileError(file, `truncated: the image directory at byte ${firstIfd} lies beyond the end of the file (${size} bytes)`);
  }
  if (firstIfd < 8) throw new DatasetFileError(file, `corrupt TIFF header: image directory offset ${firstIfd}`);
  return { littleEndian, bigTiff: version === 43, firstIfd };
}

/** A byte range [start, end) of the file and what it holds, for messages. */
interface ByteRange {
  start: number;
  end: number;
  what: string;
}

/** Bytes per value of each TIFF field type. */
const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };
/** More entries than any real directory has; a count above it is a corrupt header, not a read to attempt. */
const MAX_IFD_ENTRIES = 4096;

/**
 * The ranges the header itself occupies: the file header, the first image directory and every
 * tag value stored outside it (strip offsets, GeoKeys, ...). Pixel blocks must lie outside them.
 */
function headerRanges(bytes: TiffBytes, m: Magic): ByteRange[] {
  const { file, size } = bytes;
  const read = (offset: number, length: number, what: string): DataView => {
    if (offset + length > size) throw new DatasetFileError(file, `truncated: ${what} (bytes ${offset}..${offset + length}) lies beyond the end of the file (${size} bytes)`);
    const { data } = readRange(bytes, offset, length);
    return new DataView(data.buffer, data.byteOffset, data.byteLength);
  };
  const le = m.littleEndian;
  const countBytes = m.bigTiff ? 8 : 2;
  const entryBytes = m.bigTiff ? 20 : 12;
  const inline = m.bigTiff ? 8 : 4;
  const countView = read(m.firstIfd, countBytes, 'the image directory');
  const entries = m.bigTiff ? Number(countView.getBigUint64(0, le)) : countView.getUint16(0, le);
  if (entries > MAX_IFD_ENTRIES) throw new DatasetFileError(file, `corrupt: the image directory claims ${entries} entries`);
  const ifdEnd = m.firstIfd + countBytes + entries * entryBytes + inline;
  const ranges: ByteRange[] = [
    { start: 0, end: m.bigTiff ? 16 : 8, what: 'the TIFF header' },
    { start: m.firstIfd, end: ifdEnd, what: 'the image directory' },
  ];
  const view = read(m.firstIfd + countBytes, entries * entryBytes, 'the image directory');
  for (let i = 0; i < entries; i++) {
    const at = i * entryBytes;
    const tag = view.getUint16(at, le);
    const type = view.getUint16(at + 2, le);
    const count = m.bigTiff ? Number(view.getBigUint64(at + 4, le)) : view.getUint32(at + 4, le);
    const length = (TYPE_BYTES[type] ?? 0) * count;
    if (length <= inline) continue;
    const start = m.bigTiff ? Number(view.getBigUint64(at + 12, le)) : view.getUint32(at + 8, le);
    const end = start + length;
    if (end > size) throw new DatasetFileError(file, `truncated: tag ${tag} (bytes ${start}..${end}) lies beyond the end of the file (${size} bytes)`);
    ranges.push({ start, end, what: `the values of tag ${tag}` });
  }
  return ranges;
}

/**
 * The most bytes a stored block of `decoded` bytes can need under any compression this reader
 * knows (DEFLATE, LZW and PackBits expand incompressible data by well under 2x).
 */
const maxStoredBytes = (decoded: number) => 2 * decoded + 4096;
/** Bytes a file may hold beyond what its header accounts for (GDAL's overviews or slack), as a multiple of that. */
const TRAILING_FACTOR = 1;
const TRAILING_SLACK = 64 * 1024;

/**
 * Checks that the file's size and layout agree with its header before any pixel is read: every
 * strip or tile lies inside the file, outside the header and directory, and is no larger than
 * its pixels could need; the file is not much larger than the header accounts for. So a reader
 * reads only these ranges, never more than a few times the decoded image, whatever the file's size.
 */
function checkLayout(bytes: TiffBytes, m: Magic, dir: TiffDirectory, expected: number): void {
  const { file, size } = bytes;
  const { header, blockOffsets, blockByteCounts, bytesPerSample } = dir;
  const { tiled, blockWidth, blockHeight, planarConfig } = header.layout;
  const kind = tiled ? 'tile' : 'strip';
  const decoded = blockWidth * blockHeight * (planarConfig === 1 ? header.bands : 1) * bytesPerSample;
  const ranges = headerRanges(bytes, m);
  let extent = Math.max(...ranges.map((r) => r.end));
  for (let i = 0; i < expected; i++) {
    const start = blockOffsets[i];
    const count = blockByteCounts[i];
    if (count === 0) continue;
    const end = start + count;
    if (count > maxStoredBytes(decoded)) {
      throw new DatasetFileError(file, `corrupt: ${kind} ${i} claims ${count} bytes, more than its ${decoded} bytes of pixels could need`);
    }
    for (const r of ranges) {
      if (start < r.end && r.start < end) {
        throw new DatasetFileError(file, `corrupt: ${kind} ${i} (bytes ${start}..${end}) overlaps ${r.what} (bytes ${r.start}..${r.end})`);
      }
    }
    extent = Math.max(extent, end);
  }
  if (size > extent * (1 + TRAILING_FACTOR) + TRAILING_SLACK) {
    throw new DatasetFileError(file, `size disagrees with the header: ${size} bytes, but the header accounts for ${extent}`);
  }
}

const SAMPLE_TYPES: Record<string, SampleType> = {
  '1/8': 'uint8',
  '1/16': 'uint16',
  '1/32': 'uint32',
  '2/8': 'int8',
  '2/16': 'int16',
  '2/32': 'int32',
  '3/32': 'float32',
  '3/64': 'float64',
};

function sampleType(file: string, bits: ArrayLike<number>, formats: ArrayLike<number> | undefined): SampleType {
  const names = new Set(Array.from(bits, (b, i) => `${formats?.[i] ?? formats?.[0] ?? 1}/${b}`));
  if (names.size !== 1) throw new DatasetFileError(file, `unsupported: bands differ in sample type (SampleFormat/BitsPerSample ${[...names].join(', ')})`);
  const [name] = names;
  const type = SAMPLE_TYPES[name];
  if (!type) throw new DatasetFileError(file, `unsupported sample type: SampleFormat/BitsPerSample ${name}`);
  return type;
}

function parseNoData(file: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.replace(/\0/g, '').trim();
  if (/^[+-]?nan$/i.test(trimmed)) return NaN;
  const value = Number(trimmed);
  if (trimmed === '' || Number.isNaN(value)) throw new DatasetFileError(file, `GDAL_NODATA is not a number: "${trimmed}"`);
  return value;
}

const optionalArray = (v: ArrayLike<number> | undefined): number[] | undefined => (v ? Array.from(v, Number) : undefined);

const STRIP_OFFSETS = 273;
const STRIP_BYTE_COUNTS = 279;
const TILE_OFFSETS = 324;
const TILE_BYTE_COUNTS = 325;
const FIELD_BYTES: Record<number, number> = { 3: 2, 4: 4, 16: 8 };

/**
 * A strip/tile offset or byte-count array. geotiff.js decodes arrays it loads lazily (those not
 * next to the directory) as little-endian whatever the file's byte order, so for big-endian
 * files those are read here.
 */
async function blockArray(bytes: TiffBytes, dir: ImageFileDirectory, littleEndian: boolean, tag: number): Promise<number[]> {
  const deferred = dir.deferredArrays.get(tag);
  if (littleEndian || !deferred) return Array.from((await dir.loadValue(tag)) as ArrayLike<number | bigint>, Number);
  const size = FIELD_BYTES[deferred.fieldType];
  if (!size) throw new DatasetFileError(bytes.file, `corrupt: tag ${tag} has field type ${deferred.fieldType}`);
  const start = deferred.arrayOffset;
  const end = start + size * deferred.length;
  if (end > bytes.size) throw new DatasetFileError(bytes.file, `truncated: tag ${tag} (bytes ${start}..${end}) lies beyond the end of the file (${bytes.size} bytes)`);
  const raw = end <= bytes.head.length ? bytes.head.subarray(start, end) : bytes.readAt(start, end - start);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: deferred.length }, (_, i) =>
    size === 2 ? view.getUint16(i * 2) : size === 4 ? view.getUint32(i * 4) : Number(view.getBigUint64(i * 8)),
  );
}

async function readDirectory(bytes: TiffBytes, m: Magic): Promise<TiffDirectory> {
  const { littleEndian } = m;
  const { file, size } = bytes;
  const tiff = await GeoTIFF.fromSource(sourceOf(bytes));
  const image = await tiff.getImage(0);
  const dir = image.getFileDirectory();
  const tiled = dir.hasTag('TileOffsets');
  if (!dir.hasTag('ImageWidth') || !dir.hasTag('ImageLength') || !(tiled || dir.hasTag('StripOffsets'))) {
    throw new DatasetFileError(file, 'no raster: the first image directory has no size or no strip/tile offsets');
  }
  const width = Number(await dir.loadValue('ImageWidth'));
  const height = Number(await dir.loadValue('ImageLength'));
  if (!(width > 0 && height > 0)) throw new DatasetFileError(file, `no raster: image size ${width}x${height}`);
  const bands = Number((await dir.loadValue('SamplesPerPixel')) ?? 1);
  const bits: ArrayLike<number> = (await dir.loadValue('BitsPerSample')) ?? [1];
  const dtype = sampleType(file, bits, await dir.loadValue('SampleFormat'));

  const planar = Number((await dir.loadValue('PlanarConfiguration')) ?? 1);
  if (planar !== 1 && planar !== 2) throw new DatasetFileError(file, `corrupt: PlanarConfiguration ${planar}`);
  const rowsPerStrip = Number((await dir.loadValue('RowsPerStrip')) ?? height);
  const layout: RasterLayout = {
    tiled,
    blockWidth: tiled ? Number(await dir.loadValue('TileWidth')) : width,
    blockHeight: tiled ? Number(await dir.loadValue('TileLength')) : Math.min(rowsPerStrip, height),
    compression: Number((await dir.loadValue('Compression')) ?? 1),
    predictor: Number((await dir.loadValue('Predictor')) ?? 1),
    planarConfig: planar,
  };
  if (!(layout.blockWidth > 0 && layout.blockHeight > 0)) {
    throw new DatasetFileError(file, `corrupt: block size ${layout.blockWidth}x${layout.blockHeight}`);
  }

  const kind = tiled ? 'tile' : 'strip';
  const blockOffsets = await blockArray(bytes, dir, littleEndian, tiled ? TILE_OFFSETS : STRIP_OFFSETS);
  const blockByteCounts = await blockArray(bytes, dir, littleEndian, tiled ? TILE_BYTE_COUNTS : STRIP_BYTE_COUNTS);
  const expected = Math.ceil(width / layout.blockWidth) * Math.ceil(height / layout.blockHeight) * (planar === 2 ? bands : 1);
  if (blockOffsets.length < expected || blockByteCounts.length < expected) {
    throw new DatasetFileError(file, `corrupt: expected ${expected} ${kind} offsets and byte counts, found ${blockOffsets.length} and ${blockByteCounts.length}`);
  }
  for (let i = 0; i < expected; i++) {
    const end = blockOffsets[i] + blockByteCounts[i];
    if (end > size) {
      throw new DatasetFileError(file, `truncated: ${kind} ${i} (bytes ${blockOffsets[i]}..${end}) lies beyond the end of the file (${size} bytes)`);
    }
  }

  const header: RasterHeader = {
    width,
    height,
    bands,
    dtype,
    geoKeys: parseGeoKeys(file, dir.getValue('GeoKeyDirectory'), dir.getValue('GeoAsciiParams'), dir.getValue('GeoDoubleParams')),
    layout,
  };
  const tiepoint = optionalArray(dir.getValue('ModelTiepoint'));
  const pixelScale = optionalArray(dir.getValue('ModelPixelScale'));
  const transformation = optionalArray(dir.getValue('ModelTransformation'));
  const noData = parseNoData(file, dir.getValue('GDAL_NODATA'));
  if (tiepoint) header.tiepoint = tiepoint;
  if (pixelScale) header.pixelScale = pixelScale;
  if (transformation) header.transformation = transformation;
  if (noData !== undefined) header.noData = noData;
  const parsed: TiffDirectory = { header, image, littleEndian, bytesPerSample: bits[0] / 8, blockOffsets, blockByteCounts };
  checkLayout(bytes, m, parsed, expected);
  return parsed;
}

/** Parses the first image directory; every problem becomes a DatasetFileError naming the file. */
export async function parseTiffDirectory(bytes: TiffBytes): Promise<TiffDirectory> {
  const m = magic(bytes);
  try {
    return await readDirectory(bytes, m);
  } catch (err) {
    if (err instanceof DatasetFileError) throw err;
    throw new DatasetFileError(bytes.file, `corrupt TIFF directory: ${(err as Error).message}`);
  }
}
