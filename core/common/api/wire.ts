/**
 * The messages of the socket transports (WebSocket, Electron IPC): a call, its result or error,
 * and pushed events. One schema each, checked where a message enters; a malformed message is
 * answered with a 'bad-message' error and the connection stays usable.
 */
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';
import type { ServiceErrorData, StudioEvent } from './contract.js';
import { ServiceError } from './service-error.js';

export interface CallMessage {
  type: 'call';
  /** Chosen by the client; echoed in the reply. */
  id: number;
  method: string;
  params: unknown;
}

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  /** id is null when the message it answers had no usable id. */
  | { type: 'error'; id: number | null; error: ServiceErrorData }
  | { type: 'event'; event: StudioEvent };

export const CALL_MESSAGE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id', 'method'],
  properties: {
    type: { const: 'call' },
    id: { type: 'integer', minimum: 0 },
    method: { type: 'string', minLength: 1 },
    params: {},
  },
};

/** Parses text (WebSocket) or a structured-clone value (IPC) into a call, or throws 'bad-message'. */
export function parseCallMessage(input: unknown): CallMessage {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ServiceError('bad-message', 'message is not JSON');
    }
  }
  const errors = schemaErrors(CALL_MESSAGE_SCHEMA, value, 'message');
  if (errors.length > 0) throw new ServiceError('bad-message', `malformed message: ${errors.join('; ')}`);
  const msg = value as CallMessage;
  return { ...msg, params: msg.params ?? {} };
}

/** The id to echo for a message that failed to parse, when it had a usable one. */
export function idOf(input: unknown): number | null {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return null;
    }
  }
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}
