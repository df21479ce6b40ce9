import type { SerializedError } from '../../util/serialized-error.js';
import type { TripletPaths, TripletSummary } from '../triplet-summary.js';
import type { Sensor } from '../../common/dataset/names.js';
import type { Raster, RasterHeader, ReadOptions } from './types.js';

/** What the decode pool and its workers say to each other. */

export type PoolRequest =
  | { id: number; kind: 'header'; path: string }
  /** With `sensor`, the header is checked as that SEN12MS patch's before decoding. */
  | { id: number; kind: 'raster'; path: string; opts?: ReadOptions; sensor?: Sensor }
  | { id: number; kind: 'triplet'; paths: TripletPaths };

export type PoolResponse =
  | { id: number; ok: true; header: RasterHeader }
  | { id: number; ok: true; raster: Raster }
  | { id: number; ok: true; triplet: TripletSummary }
  | { id: number; ok: false; error: SerializedError };
