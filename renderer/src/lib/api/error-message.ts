import { ERROR_CODES, type ErrorCode } from '#common/api/contract.js';

/** What each refusal means to a user, before the service's own message naming the field or file. */
const PREFIX: Record<ErrorCode, string> = {
  'invalid-params': 'Invalid request',
  'unknown-method': 'Unknown request (app and service versions differ?)',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'bad-message': 'Malformed message',
  unauthorized: 'Not authorised (open the URL with its #token= again)',
  forbidden: 'Forbidden',
  'too-large': 'Request too large',
  storage: 'Storage failure on the server (disk full or unreadable)',
  internal: 'Service error',
};

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** One line for the error banner from anything a call may reject with. */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' && message !== '' ? message : 'no details';
    if (isErrorCode(code)) return `${PREFIX[code]}: ${text}`;
    if (typeof message === 'string') return text;
  }
  return String(err);
}
