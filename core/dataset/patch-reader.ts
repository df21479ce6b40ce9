import { DatasetFileError } from '../common/util/file-error.js';
import type { Sensor } from '../common/dataset/names.js';
import { readBandHistogram, readCheckedHeader, withTiff } from './tiff/reader.js';
import type { Raster, RasterHeader, ReadOptions, SampleType } from './tiff/types.js';

/** Every SEN12MS patch is 256x256 pixels. */
export const PATCH_SIZE = 256;
/** Pixel side on the ground, in metres (the 10 m Sentinel-2 grid all bands are resampled to). */
export const PATCH_PIXEL_METRES = 10;

export const PATCH_FORMATS: Readonly<Record<Sensor, { bands: number; dtype: SampleType }>> = {
  s1: { bands: 2, dtype: 'float32' },
  s2: { bands: 13, dtype: 'uint16' },
  lc: { bands: 4, dtype: 'uint8' },
};

/** Throws a DatasetFileError naming `file` when the header is not that of a SEN12MS patch of `sensor`. */
export function checkPatchHeader(sensor: Sensor, header: RasterHeader, file: string): void {
  const expected = PATCH_FORMATS[sensor];
  const name = sensor.toUpperCase();
  if (header.bands !== expected.bands) {
    throw new DatasetFileError(file, `expected ${expected.bands} bands (${name}), found ${header.bands}`);
  }
  if (header.dtype !== expected.dtype) {
    throw new DatasetFileError(file, `expected ${expected.dtype} pixels (${name}), found ${header.dtype}`);
  }
  if (header.width !== PATCH_SIZE || header.height !== PATCH_SIZE) {
    throw new DatasetFileError(file, `expected ${PATCH_SIZE}x${PATCH_SIZE} pixels (${name}), found ${header.width}x${header.height}`);
  }
}

/** One open of the file: its header checked as a `sensor` patch, then the requested pixels (only their blocks are read). */
export function readPatch(sensor: Sensor, path: string, opts?: ReadOptions): Promise<Raster> {
  return withTiff(path, (tiff) => {
    checkPatchHeader(sensor, tiff.header, path);
    return tiff.read(opts);
  });
}

/** The header checked as a `sensor` patch, and one block decoded (see readCheckedHeader): what indexing reads of S1 and S2. */
export function readCheckedPatchHeader(sensor: Sensor, path: string): Promise<RasterHeader> {
  return readCheckedHeader(path, (header) => checkPatchHeader(sensor, header, path));
}

/** Sentinel-1 VV, VH in dB (float32). NaNs are returned as stored. */
export function readS1(path: string, opts?: ReadOptions): Promise<Raster> {
  return readPatch('s1', path, opts);
}

/** Sentinel-2 B1..B12 incl. B8A and B10 (uint16, reflectance x 10000). */
export function readS2(path: string, opts?: ReadOptions): Promise<Raster> {
  return readPatch('s2', path, opts);
}

/** Land cover: IGBP, LCCS land cover, LCCS land use, LCCS surface hydrology (uint8). */
export function readLc(path: string, opts?: ReadOptions): Promise<Raster> {
  return readPatch('lc', path, opts);
}

/** The 256-bin histogram of LC band 1 (IGBP), counted without decoding the other bands. */
export function readLcHistogram(path: string): Promise<Uint32Array> {
  return readBandHistogram(path, 0, (header) => checkPatchHeader('lc', header, path));
}
