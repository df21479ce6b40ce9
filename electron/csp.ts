/**
 * Content-Security-Policy of the desktop app's pages: the renderer policy of server mode
 * (core/server/responses.ts htmlCsp) with the WebSocket, which the desktop app does not use,
 * replaced by the data set file scheme for fetch() and images.
 */
import { rendererCsp } from '../core/server/responses.js';
import { FILE_SCHEME } from './app-url.js';

export const DESKTOP_CSP = rendererCsp({ connect: [`${FILE_SCHEME}:`], img: [`${FILE_SCHEME}:`] });
