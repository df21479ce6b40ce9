import { ERROR_CODES, type ErrorCode, type StudioEvent } from '#common/api/contract.js';
import type { ServerMessage } from '#common/api/wire.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * A server message checked for the fields the client relies on, or a string saying what is wrong.
 * Event payloads are passed on as they are: their listeners read them by `type`.
 */
export function parseServerMessage(text: string): ServerMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'message is not JSON';
  }
  if (!isRecord(value)) return 'message is not an object';
  switch (value.type) {
    case 'result':
      return isId(value.id) ? { type: 'result', id: value.id, result: value.result } : 'result without a valid id';
    case 'error': {
      const id = value.id === null ? null : isId(value.id) ? value.id : undefined;
      if (id === undefined) return 'error without a valid id';
      const error = value.error;
      if (!isRecord(error) || typeof error.message !== 'string' || !(ERROR_CODES as readonly unknown[]).includes(error.code)) {
        return 'error without a valid {code, message}';
      }
      return { type: 'error', id, error: { code: error.code as ErrorCode, message: error.message } };
    }
    case 'event':
      return isRecord(value.event) && typeof value.event.type === 'string'
        ? { type: 'event', event: value.event as unknown as StudioEvent }
        : 'event without a type';
    default:
      return `unknown message type ${JSON.stringify(value.type)}`;
  }
}
