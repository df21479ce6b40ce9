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
 * Error codes of storage failures: SQLite's (better-sqlite3 sets `code`, extended codes such as
 * SQLITE_IOERR_WRITE included) and the file system's. Whatever the operation, these say the disk
 * or database failed, not that the request was wrong.
 */
const STORAGE_CODE = /^(SQLITE_(FULL|IOERR|CORRUPT|READONLY|CANTOPEN|NOTADB|PROTOCOL|NOLFS)(_\w+)?|ENOSPC|EIO|EROFS|EDQUOT|EFBIG)$/;

/** The storage failure code of a thrown value (`SQLITE_FULL`, `ENOSPC`, ...), or null. */
export function storageFailure(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODE.test(code) ? code : null;
}

/**
 * What a client is told about any thrown value: a ServiceError as it is; a storage failure as
 * 'storage' naming its code; anything else as 'internal' with its message (the service's own
 * errors name the file or field, and a stack trace would leak paths to a remote client for no
 * benefit).
 */
export function errorData(err: unknown): ServiceErrorData {
  if (err instanceof ServiceError) return err.toData();
  const storage = storageFailure(err);
  if (storage !== null) return { code: 'storage', message: `storage failure (${storage}): ${err instanceof Error ? err.message : String(err)}` };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
