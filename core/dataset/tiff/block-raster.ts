import { endianness } from 'node:os';
import { DatasetFileError } from '../../common/util/file-error.js';
import { byteHistogram } from '../../common/util/byte-histogram.js';
import { BLOCK_COMPRESSIONS, decompressBlock } from './decompress.js';
import type { TiffDirectory } from './directory.js';
import { memoryBytes, readRange, type TiffBytes } from './file-bytes.js';
import { undoFloatingPointPredictor, undoHorizontalDifferencing } from './predictor.js';
import { TYPED_ARRAYS, type PixelWindow, type TypedRaster } from './types.js';

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Whether `decodeBlocks` can read this file: a little-endian host (blocks are viewed as typed
 * arrays), a block compression, and a predictor it implements.
 */
export function canDecodeBlocks(dir: TiffDirectory): boolean {
  const { compression, predictor } = dir.header.layout;
  const isFloat = dir.header.dtype.startsWith('float');
  return (
    HOST_LITTLE_ENDIAN &&
    BLOCK_COMPRESSIONS.has(compression) &&
    (predictor === 1 || (predictor === 2 && dir.bytesPerSample <= 4) || (predictor === 3 && isFloat))
  );
}

function toLittleEndian(block: Uint8Array, bytesPerSample: number, length: number): void {
  const buf = Buffer.from(block.buffer, block.byteOffset, length);
  if (bytesPerSample === 2) buf.swap16();
  else if (bytesPerSample === 4) buf.swap32();
  else buf.swap64();
}

/** One strip or tile as a typed array of `samples` values: decompressed, swapped, predictor undone. */
async function decodeBlock(dir: TiffDirectory, fileBytes: TiffBytes, file: string, index: number, samples: number, rowSamples: number, stride: number): Promise<TypedRaster> {
  const { header, bytesPerSample } = dir;
  const { compression, predictor, tiled } = header.layout;
  const name = `${tiled ? 'tile' : 'strip'} ${index}`;
  const expected = samples * bytesPerSample;
  // Only this block's bytes are read (parseTiffDirectory checked they lie inside the file).
  const stored = readRange(fileBytes, dir.blockOffsets[index], dir.blockByteCounts[index]);
  let block = await decompressBlock(compression, stored.data, expected, file, name);
  if (block.length < expected) {
    throw new DatasetFileError(file, `corrupt ${name}: decodes to ${block.length} bytes, expected ${expected}`);
  }
  // As libtiff: big-endian samples are swapped before predictor 2; predictor 3 yields host order.
  const swap = !dir.littleEndian && bytesPerSample > 1 && predictor !== 3;
  // Typed views need aligned offsets, and swaps and predictors write in place: never into the caller's bytes.
  if (block.byteOffset % bytesPerSample !== 0 || ((swap || predictor !== 1) && !stored.fresh && block.buffer === stored.data.buffer)) {
    // Not block.slice(): on a Buffer that is a view, not a copy.
    const copy = new Uint8Array(expected);
    copy.set(block.subarray(0, expected));
    block = copy;
  }
  const rows = samples / rowSamples;
  if (swap) toLittleEndian(block, bytesPerSample, expected);
  if (predictor === 2) undoHorizontalDifferencing(block, bytesPerSample as 1 | 2 | 4, rowSamples, rows, stride);
  if (predictor === 3) undoFloatingPointPredictor(block, bytesPerSample, rowSamples, rows, stride);
  const View = TYPED_ARRAYS[header.dtype] as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedRaster;
  return new View(block.buffer, block.byteOffset, samples);
}

const asBytes = (source: Uint8Array | TiffBytes, file: string): TiffBytes => (source instanceof Uint8Array ? memoryBytes(source, file) : source);

/**
 * Decodes the requested bands inside `window`, reading and decoding only the strips/tiles that
 * intersect the window (and, for band-sequential files, only those of the requested bands).
 * `source` is the whole file in memory or a TiffBytes that reads each block's range on demand.
 */
export async function decodeBlocks(dir: TiffDirectory, source: Uint8Array | TiffBytes, file: string, bands: number[], window: PixelWindow): Promise<TypedRaster[]> {
  const fileBytes = asBytes(source, file);
  const { header } = dir;
  const { width, height, layout } = header;
  const { blockWidth, blockHeight, planarConfig, tiled } = layout;
  const samplesPerPixel = header.bands;
  const stride = planarConfig === 1 ? samplesPerPixel : 1;
  const rowSamples = blockWidth * stride;
  const across = Math.ceil(width / blockWidth);
  const blocksPerPlane = across * Math.ceil(height / blockHeight);
  const ArrayType = TYPED_ARRAYS[header.dtype];
  const out = bands.map(() => new ArrayType(window.width * window.height));
  // Each decoded plane feeds these (output index, band within the block) pairs.
  const planes =
    planarConfig === 1
      ? [{ plane: 0, targets: bands.map((band, i) => ({ i, band })) }]
      : bands.map((band, i) => ({ plane: band, targets: [{ i, band: 0 }] }));

  const x0 = window.x;
  const x1 = window.x + window.width;
  const y0 = window.y;
  const y1 = window.y + window.height;
  for (let by = Math.floor(y0 / blockHeight); by * blockHeight < y1; by++) {
    const top = by * blockHeight;
    const rows = tiled ? blockHeight : Math.min(blockHeight, height - top);
    const rowFrom = Math.max(y0, top);
    const rowTo = Math.min(y1, top + rows);
    for (let bx = Math.floor(x0 / blockWidth); bx * blockWidth < x1; bx++) {
      const left = bx * blockWidth;
      const colFrom = Math.max(x0, left);
      const colTo = Math.min(x1, left + blockWidth);
      const count = colTo - colFrom;
      for (const { plane, targets } of planes) {
        const index = plane * blocksPerPlane + by * across + bx;
        if (dir.blockByteCounts[index] === 0) {
          // A sparse block (GDAL's SPARSE_OK) was never written: it reads as nodata, or 0.
          const fill = header.noData ?? 0;
          for (let y = rowFrom; y < rowTo && fill !== 0; y++) {
            const dst = (y - y0) * window.width + (colFrom - x0);
            for (const { i } of targets) out[i].fill(fill, dst, dst + count);
          }
          continue;
        }
        const view = await decodeBlock(dir, fileBytes, file, index, rows * rowSamples, rowSamples, stride);
        // Rows as wide as both the block and the window follow each other in both: one run.
        const rowsPerRun = count === blockWidth && count === window.width ? rowTo - rowFrom : 1;
        for (let y = rowFrom; y < rowTo; y += rowsPerRun) {
          const src = (y - top) * rowSamples + (colFrom - left) * stride;
          const dst = (y - y0) * window.width + (colFrom - x0);
          const n = count * rowsPerRun;
          for (const { i, band } of targets) {
            const target = out[i];
            if (stride === 1) {
              target.set(view.subarray(src, src + n), dst);
            } else if (view instanceof Uint8Array) {
              // A loop of its own for bytes (land cover): one array type per access site keeps it
              // monomorphic, several times faster than the shared loop below.
              const bytes = target as Uint8Array;
              for (let x = 0, s = src + band; x < n; x++, s += stride) bytes[dst + x] = view[s];
            } else {
              for (let x = 0, s = src + band; x < n; x++, s += stride) target[dst + x] = view[s];
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * The 256-bin histogram of one band of a uint8 image, counted straight from each decoded block
 * without first copying the band out: what indexing needs from the land-cover file.
 */
export async function bandHistogram(dir: TiffDirectory, source: Uint8Array | TiffBytes, file: string, band: number): Promise<Uint32Array> {
  const fileBytes = asBytes(source, file);
  const { header } = dir;
  if (header.dtype !== 'uint8') throw new RangeError(`${file}: a byte histogram needs uint8 pixels, not ${header.dtype}`);
  const { width, height, layout } = header;
  const { blockWidth, blockHeight, planarConfig, tiled } = layout;
  const stride = planarConfig === 1 ? header.bands : 1;
  const rowSamples = blockWidth * stride;
  const across = Math.ceil(width / blockWidth);
  const blocksPerPlane = across * Math.ceil(height / blockHeight);
  const plane = planarConfig === 1 ? 0 : band;
  const offset = planarConfig === 1 ? band : 0;
  const histogram = new Uint32Array(256);
  for (let by = 0; by * blockHeight < height; by++) {
    const top = by * blockHeight;
    const rows = tiled ? blockHeight : Math.min(blockHeight, height - top);
    const inImage = Math.min(rows, height - top);
    for (let bx = 0; bx < across; bx++) {
      const index = plane * blocksPerPlane + by * across + bx;
      const cols = Math.min(blockWidth, width - bx * blockWidth);
      if (dir.blockByteCounts[index] === 0) {
        histogram[header.noData ?? 0] += cols * inImage;
        continue;
      }
      const view = (await decodeBlock(dir, fileBytes, file, index, rows * rowSamples, rowSamples, stride)) as Uint8Array;
      if (cols === blockWidth) {
        byteHistogram(view.subarray(0, inImage * rowSamples), offset, stride, histogram);
      } else {
        // Tiles past the right edge carry padding columns: count each row's pixels inside the image.
        for (let y = 0; y < inImage; y++) byteHistogram(view.subarray(y * rowSamples, y * rowSamples + cols * stride), offset, stride, histogram);
      }
    }
  }
  return histogram;
}
