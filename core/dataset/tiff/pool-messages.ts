import { DatasetFileError } from '../errors.js';
import type { TripletPaths, TripletSummary } from '../triplet-summary.js';
import type { Raster, RasterHeader, ReadOptions } from './types.js';

/** What the decode pool and its workers say to each other. */

export type PoolRequest =
  | { id: number; kind: 'header'; path: string }
  | { id: number; kind: 'raster'; path: string; opts?: ReadOptions }
  | { id: number; kind: 'triplet'; paths: TripletPaths };

export interface SerializedError {
  name: string;
  message: string;
  file?: string;
  reason?: string;
}

export type PoolResponse =
  | { id: number; ok: true; header: RasterHeader }
  | { id: number; ok: true; raster: Raster }
  | { id: number; ok: true; triplet: TripletSummary }
  | { id: number; ok: false; error: SerializedError };

/** Structured clone drops an Error's class; keep what rebuilding it needs. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof DatasetFileError) return { name: err.name, message: err.message, file: err.file, reason: err.reason };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

const ERROR_TYPES: Record<string, new (message: string) => Error> = { RangeError, TypeError };

export function deserializeError(e: SerializedError): Error {
  if (e.name === 'DatasetFileError' && e.file !== undefined && e.reason !== undefined) return new DatasetFileError(e.file, e.reason);
  const err = new (ERROR_TYPES[e.name] ?? Error)(e.message);
  err.name = e.name;
  return err;
}
