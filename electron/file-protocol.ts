/**
 * studio-file://<datasetId>/<relative path>: a file of an opened data set for the renderer
 * (GeoTIFF readers fetch by range). Confinement, symlinks included, is the service's
 * resolveFile; a path segment that could leave a folder is refused before it is asked.
 */
import { pathSegments } from '../core/server/request-path.js';
import { ServiceError } from '../core/common/api/service-error.js';
import type { ServiceHost } from '../core/service/service-host.js';
import { APP_ORIGIN } from './app-url.js';
import { INERT_CSP } from '../core/server/responses.js';
import { errorResponse, fileResponse } from './file-response.js';

export async function datasetFileResponse(request: Request, host: ServiceHost): Promise<Response> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new ServiceError('forbidden', `${request.method}: data set files are read-only`);
    const url = new URL(request.url);
    const segments = pathSegments(url.pathname);
    if (url.hostname === '' || segments.length === 0 || segments[segments.length - 1] === '') {
      throw new ServiceError('not-found', 'expected studio-file://<datasetId>/<relative path of a file>');
    }
    const file = await host.resolveFile(url.hostname, segments.join('/'));
    // The renderer's origin differs from this scheme's, so fetch() needs the CORS header.
    return await fileResponse(request, file, { 'Content-Security-Policy': INERT_CSP, 'Access-Control-Allow-Origin': APP_ORIGIN });
  } catch (err) {
    return errorResponse(err);
  }
}
