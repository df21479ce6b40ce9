/**
 * studio://app/<path>: the built renderer (dist/renderer). Every response carries the desktop
 * CSP. Like server mode, an unknown extensionless path gets index.html so the single-page app
 * owns its routes; the path syntax is checked segment by segment before it touches the disk.
 */
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathSegments } from '../core/server/request-path.js';
import { ServiceError } from '../core/common/api/service-error.js';
import { APP_HOST } from './app-url.js';
import { DESKTOP_CSP } from './csp.js';
import { errorResponse, fileResponse } from './file-response.js';

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** The file under `rendererDir` a request path names, or null. */
async function rendererFile(rendererDir: string, segments: string[]): Promise<string | null> {
  const last = segments[segments.length - 1];
  const asked = last === '' ? join(rendererDir, ...segments, 'index.html') : join(rendererDir, ...segments);
  if (await isFile(asked)) return asked;
  const index = join(rendererDir, 'index.html');
  return extname(last) === '' && (await isFile(index)) ? index : null;
}

export async function rendererResponse(request: Request, rendererDir: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': DESKTOP_CSP };
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new ServiceError('forbidden', `${request.method}: the app's pages are read-only`);
    const url = new URL(request.url);
    if (url.host !== APP_HOST) throw new ServiceError('not-found', `no such page: ${url.host}`);
    const segments = pathSegments(url.pathname);
    const file = await rendererFile(rendererDir, segments);
    if (file === null) throw new ServiceError('not-found', `no such file: ${url.pathname}`);
    return await fileResponse(request, file, extname(file) === '.html' ? { ...headers, 'Cache-Control': 'no-cache' } : headers);
  } catch (err) {
    return errorResponse(err, DESKTOP_CSP);
  }
}
