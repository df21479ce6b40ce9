import type { ErrorCode } from '#common/api/contract.js';

/** Codes the client adds to the service's own: the socket closed before the reply came. */
export type ClientErrorCode = ErrorCode | 'disconnected';

/** A refused or failed call, carrying the service's {code, message} so the error banner can say which. */
export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
