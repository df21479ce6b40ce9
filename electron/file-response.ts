/**
 * Fetch-style responses for the custom protocols (Electron's protocol.handle takes a Response):
 * a file streamed whole or as one byte range, and a refusal in the API's error shape.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { contentType } from '../core/server/content-type.js';
import { HTTP_STATUS, INERT_CSP } from '../core/server/responses.js';
import { parseRange } from '../core/server/send-file.js';
import { errorData } from '../core/common/api/service-error.js';

const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

/** `file` must be a regular file the caller has already decided to serve. */
export async function fileResponse(request: Request, file: string, headers: Record<string, string>): Promise<Response> {
  const { size } = await stat(file);
  const common = { ...BASE_HEADERS, 'Content-Type': contentType(file), 'Accept-Ranges': 'bytes', ...headers };
  const range = parseRange(request.headers.get('range') ?? undefined, size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}` } });
  const [start, end] = range ?? [0, size - 1];
  const length = Math.max(0, end - start + 1);
  const body = request.method === 'HEAD' || length === 0 ? null : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream);
  return new Response(body, {
    status: range ? 206 : 200,
    headers: { ...common, 'Content-Length': String(length), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) },
  });
}

/** `{"error": {code, message}}` with the code's HTTP status, as server mode answers. */
export function errorResponse(err: unknown, csp: string = INERT_CSP): Response {
  const error = errorData(err);
  return new Response(JSON.stringify({ error }), {
    status: HTTP_STATUS[error.code],
    headers: { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' },
  });
}
