import type { ErrorCode, ServiceErrorData } from './contract.js';

/** A refusal with a code a transport can map (HTTP status, IPC error) and a message naming the field or file. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  toData(): ServiceErrorData {
    return { code: this.code, message: this.message };
  }
}

/**
 * What a client is told about any thrown value: a ServiceError as it is; anything else as
 * 'internal' with its message (the service's own errors name the file or field, and a stack
 * trace would leak paths to a remote client for no benefit).
 */
export function errorData(err: unknown): ServiceErrorData {
  if (err instanceof ServiceError) return err.toData();
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
