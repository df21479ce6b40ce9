/**
 * studio://app/<path>: the built renderer (dist/renderer). Every response carries the desktop
 * CSP. The file is found as server mode finds it (core/server/static-files.ts): an unknown
 * extensionless path gets index.html, and a symlink in the build cannot lead outside it; the path
 * syntax is checked segment by segment before it touches the disk.
 */
import { extname } from 'node:path';
import { pathSegments } from '../core/server/request-path.js';
import { rendererFile } from '../core/server/static-files.js';
import { ServiceError } from '../core/common/api/service-error.js';
import { APP_HOST } from './app-url.js';
import { DESKTOP_CSP } from './csp.js';
import { errorResponse, fileResponse } from './file-response.js';

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
