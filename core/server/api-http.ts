/** POST /api/<method> with `{"params": {...}}` -> `{"result": ...}`, or an error with its status. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../common/api/service-error.js';
import { parseJsonLimited } from '../common/util/json-limits.js';
import type { ServiceHost } from '../service/service-host.js';
import { readBody } from './body.js';
import { sendJson } from './responses.js';

/** The params of a call body; an empty body means no params. */
function parseCallBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  // Depth is checked before parsing: nesting past the limit is a 400, not a stack overflow.
  const value = parseJsonLimited(body.toString('utf8'), 'request body', (m) => new ServiceError('bad-message', m));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError('bad-message', 'request body must be an object {"params": {...}}');
  }
  const extra = Object.keys(value).filter((k) => k !== 'params');
  if (extra.length > 0) throw new ServiceError('bad-message', `request body: unexpected field "${extra[0]}" (only "params")`);
  return (value as { params?: unknown }).params ?? {};
}

export async function serveApiCall(req: IncomingMessage, res: ServerResponse, host: ServiceHost, method: string, maxBodyBytes: number): Promise<void> {
  const params = parseCallBody(await readBody(req, maxBodyBytes));
  const result = await host.call(method, params);
  // JSON has no undefined: a method with nothing to say answers null.
  sendJson(res, 200, { result: result ?? null });
}
