/**
 * The messages of the socket transports (WebSocket, Electron IPC): a call, its result or error,
 * and pushed events. One schema each, checked where a message enters; a malformed message is
 * answered with a 'bad-message' error and the connection stays usable.
 */
import { MAX_JSON_DEPTH, parseJsonLimited, valueDepth } from '../util/json-limits.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';
import type { ServiceErrorData, StudioEvent } from './contract.js';
import { ServiceError } from './service-error.js';

/**
 * The WebSocket subprotocols of server mode. A browser cannot set headers on a socket, so the
 * renderer offers two: the app's own (which the server selects) and one that carries the token
 * (which the server reads and never echoes). Nothing is kept in a cookie: cookies ignore ports,
 * and one set for 127.0.0.1 would be sent to every other service on that host.
 */
export const SOCKET_PROTOCOL = 'sen12ms-studio';
export const TOKEN_PROTOCOL_PREFIX = 'sen12ms-studio.token.';

/** The protocols a client offers to authenticate a socket with `token`. */
export function socketProtocols(token: string): string[] {
  return [SOCKET_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

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
    value = parseJsonLimited(input, 'message', (m) => new ServiceError('bad-message', m));
  } else if (valueDepth(input, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ServiceError('bad-message', `message is nested deeper than ${MAX_JSON_DEPTH} levels`);
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
      value = parseJsonLimited(input, 'message', (m) => new Error(m));
    } catch {
      return null;
    }
  }
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}
