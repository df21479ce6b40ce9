import GeoTIFF, { type GeoTIFFImage, type ImageFileDirectory } from 'geotiff';
import { DatasetFileError } from '../../common/util/file-error.js';
import type { TiffBytes } from './file-bytes.js';
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

/** Returns whether the file is little-endian. */
function checkMagic(bytes: TiffBytes): boolean {
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
  return littleEndian;
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

async function readDirectory(bytes: TiffBytes, littleEndian: boolean): Promise<TiffDirectory> {
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
  return { header, image, littleEndian, bytesPerSample: bits[0] / 8, blockOffsets, blockByteCounts };
}

/** Parses the first image directory; every problem becomes a DatasetFileError naming the file. */
export async function parseTiffDirectory(bytes: TiffBytes): Promise<TiffDirectory> {
  const littleEndian = checkMagic(bytes);
  try {
    return await readDirectory(bytes, littleEndian);
  } catch (err) {
    if (err instanceof DatasetFileError) throw err;
    throw new DatasetFileError(bytes.file, `corrupt TIFF directory: ${(err as Error).message}`);
  }
}
