/**
 * Content-Security-Policy of the desktop app's responses: server mode's renderer policy
 * (core/server/responses.ts htmlCsp) with the WebSocket, which the desktop app does not use,
 * replaced by the data set file scheme for fetch() and images.
 */
import { ONLINE_TILES_ORIGIN } from '../core/service/online-tiles.js';
import { FILE_SCHEME } from './app-url.js';

export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `connect-src 'self' ${FILE_SCHEME}:`,
  `img-src 'self' data: blob: ${FILE_SCHEME}: ${ONLINE_TILES_ORIGIN}`,
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** For data and errors: nothing in them may run or load if a page were made of them. */
export const INERT_CSP = "default-src 'none'; frame-ancestors 'none'";
