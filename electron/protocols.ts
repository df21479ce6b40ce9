/**
 * The two custom schemes: studio:// for the app's own pages and studio-file:// for data set
 * files. Registered as privileged before the app is ready (standard and secure, so pages on them
 * get an origin, fetch and a CSP); their handlers are installed once the service exists.
 */
import { protocol } from 'electron';
import type { ServiceHost } from '../core/service/service-host.js';
import { APP_SCHEME, FILE_SCHEME } from './app-url.js';
import { datasetFileResponse } from './file-protocol.js';
import { rendererResponse } from './renderer-protocol.js';

/** Must run before app 'ready'. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

export function handleSchemes(opts: { rendererDir: string; host: ServiceHost }): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(request, opts.rendererDir));
  protocol.handle(FILE_SCHEME, (request) => datasetFileResponse(request, opts.host));
}
