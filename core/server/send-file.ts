/**
 * Streams one regular file, with a single byte range when asked (GeoTIFF readers in the browser
 * fetch headers and tiles by range). Several ranges in one request are answered with the whole
 * file, which HTTP allows.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ServiceError } from '../common/api/service-error.js';
import { contentType } from './content-type.js';
import { sendError, setSecurityHeaders } from './responses.js';

/** [start, end] inclusive, 'unsatisfiable', or null for "send it all". */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : [start, end];
}

export interface SendFileOptions {
  csp?: string;
  cacheControl?: string;
}

export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, opts: SendFileOptions = {}): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new ServiceError('not-found', 'no such file');
  setSecurityHeaders(res, opts.csp);
  res.setHeader('Content-Type', contentType(file));
  res.setHeader('Accept-Ranges', 'bytes');
  if (opts.cacheControl) res.setHeader('Cache-Control', opts.cacheControl);
  const range = parseRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${info.size}`);
    res.writeHead(416).end();
    return;
  }
  const [start, end] = range ?? [0, info.size - 1];
  res.setHeader('Content-Length', Math.max(0, end - start + 1));
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${info.size}`);
  res.writeHead(range ? 206 : 200);
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file, { start, end }), res);
  } catch (err) {
    // The client went away mid-file (nothing to tell it), or the read failed after the headers.
    sendError(res, err);
  }
}
