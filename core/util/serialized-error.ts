import { DatasetFileError } from '../common/util/file-error.js';

/** An error as it crosses a worker-thread boundary. */
export interface SerializedError {
  name: string;
  message: string;
  file?: string;
  reason?: string;
}

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
