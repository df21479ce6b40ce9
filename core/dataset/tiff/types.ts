/** Shapes shared by the GeoTIFF reader, writer and decode pool. */

export type SampleType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** The typed array of each sample type: one table for the reader, the writer and the tests. */
export const TYPED_ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const satisfies Record<SampleType, unknown>;

export type TypedRaster =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** GeoKey values by key id (e.g. 3072 ProjectedCSTypeGeoKey), as the file stores them. */
export type GeoKeys = Record<number, number | string | number[]>;

export interface GeoTransformTags {
  /** ModelTiepointTag: [i, j, k, x, y, z, ...]. */
  tiepoint?: number[];
  /** ModelPixelScaleTag: [sx, sy, sz]. */
  pixelScale?: number[];
  /** ModelTransformationTag: 4x4 row-major. */
  transformation?: number[];
}

export interface RasterLayout {
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  /** TIFF Compression tag: 1 none, 5 LZW, 8/32946 DEFLATE, 32773 PackBits, ... */
  compression: number;
  /** TIFF Predictor tag: 1 none, 2 horizontal, 3 floating point. */
  predictor: number;
  /** 1 pixel-interleaved (chunky), 2 band-sequential (planar). */
  planarConfig: 1 | 2;
}

export interface RasterHeader extends GeoTransformTags {
  width: number;
  height: number;
  bands: number;
  dtype: SampleType;
  geoKeys: GeoKeys;
  noData?: number;
  layout: RasterLayout;
}

export interface PixelWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadOptions {
  /** 0-based band indices to decode; all when omitted. */
  bands?: number[];
  /** Sub-rectangle in pixels; the whole image when omitted. */
  window?: PixelWindow;
}

/** Decoded pixels, one typed array per requested band (band-sequential, row-major). */
export interface Raster {
  width: number;
  height: number;
  dtype: SampleType;
  /** The 0-based band indices, in the order of `data`. */
  bands: number[];
  data: TypedRaster[];
}
