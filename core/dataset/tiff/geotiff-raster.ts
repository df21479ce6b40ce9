import { DatasetFileError } from '../../common/util/file-error.js';
import type { TiffDirectory } from './directory.js';
import type { PixelWindow, TypedRaster } from './types.js';

/**
 * The general path: geotiff.js's own readRasters, for what the block decoder does not cover
 * (big-endian files, JPEG/ZSTD/LERC, 64-bit predictors). Slower, but reads every TIFF it can.
 */
export async function decodeWithGeotiff(dir: TiffDirectory, file: string, bands: number[], window: PixelWindow): Promise<TypedRaster[]> {
  try {
    const result = await dir.image.readRasters({
      samples: [...bands],
      window: [window.x, window.y, window.x + window.width, window.y + window.height],
      interleave: false,
    });
    return Array.from(result as TypedRaster[]);
  } catch (err) {
    throw new DatasetFileError(file, `cannot decode: ${(err as Error).message}`);
  }
}
