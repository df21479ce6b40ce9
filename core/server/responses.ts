/**
 * Every response the server writes goes through here, so each one carries the security headers
 * and every refusal has the same JSON shape as an API error on the other transports.
 */
import type { ServerResponse } from 'node:http';
import type { ErrorCode, ServiceErrorData } from '../common/api/contract.js';
import { errorData } from '../common/api/service-error.js';
import { ONLINE_TILES_ORIGIN } from '../common/api/online-tiles.js';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  'invalid-params': 400,
  'bad-message': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'unknown-method': 404,
  conflict: 409,
  'too-large': 413,
  // Insufficient Storage: the disk or database failed, not the request.
  storage: 507,
  internal: 500,
};

/**
 * For anything that is not the app's HTML: nothing it contains may run or load, should a
 * browser be talked into rendering it as a page.
 */
export const INERT_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The renderer's policy, shared by server mode and the desktop app, which differ only in where
 * the renderer may connect and load images from. Styles come only from the app's own CSS files:
 * Svelte's component styles are extracted at build time, and Svelte and OpenLayers set element
 * styles through the CSSOM, which CSP does not govern (the Chromium walk in test/e2e/app.test.ts
 * fails on any violation). OpenLayers draws via blob: workers and images; the one online tile
 * origin may serve images.
 */
export function rendererCsp(extra: { connect: string[]; img: string[] }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    ["connect-src 'self'", ...extra.connect].join(' '),
    ["img-src 'self' data: blob:", ...extra.img, ONLINE_TILES_ORIGIN].join(' '),
    "style-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Server mode's policy: the socket is named by host because 'self' does not cover ws: in every
 * browser. `host` has passed the Host check, so it cannot smuggle in other directives.
 */
export function htmlCsp(host: string): string {
  return rendererCsp({ connect: [`ws://${host}`, `wss://${host}`], img: [] });
}

/**
 * Powerful browser features the app never uses, denied to it and to anything framed in it (a
 * page that got script into the app still cannot reach the camera, microphone or location).
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/** Headers every response gets; no CORS headers, so browsers keep other origins out. */
export function setSecurityHeaders(res: ServerResponse, csp: string = INERT_CSP): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  setSecurityHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** A refusal or failure as `{"error": {code, message}}` with the code's status. */
export function sendError(res: ServerResponse, err: unknown, status?: number): void {
  const error: ServiceErrorData = errorData(err);
  if (res.headersSent) {
    // A stream failed after its headers went out: cutting the connection is the only signal left.
    res.destroy();
    return;
  }
  sendJson(res, status ?? HTTP_STATUS[error.code], { error });
}

/**
 * A browser that asks for a page without the token (an /api or /files address typed or
 * bookmarked without its fragment) gets a short page saying how to get in rather than raw
 * JSON: still 401, still nothing of the app.
 */
export function sendTokenPage(res: ServerResponse): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SEN12MS Studio: token needed</title></head>
<body>
<h1>This SEN12MS Studio server needs its access token</h1>
<p>Open the address that <code>sen12ms-studio serve</code> printed when it started: it ends in
<code>#token=</code> followed by 64 characters. A tab that opened it once keeps the token until it is closed.</p>
<p>Lost the address? Start the server again with a token you choose:
<code>sen12ms-studio serve --token-file ~/.studio-token</code> (or <code>$SEN12MS_STUDIO_TOKEN</code>),
then open <code>http://&lt;host&gt;:&lt;port&gt;/#token=&lt;that token&gt;</code>.</p>
</body></html>
`;
  setSecurityHeaders(res);
  res.writeHead(HTTP_STATUS.unauthorized, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

/** A browser navigation (it prefers HTML), not a script's fetch or an API client. */
export function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/html\b/.test(accept);
}
