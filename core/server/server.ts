/**
 * Server mode: the built renderer, the API (POST /api/<method>, WebSocket /api/ws) and the files
 * of opened data sets, on node:http. Every request and socket passes the same gate first: a known
 * Host name and a same-origin Origin (when one is sent); the API, the socket and the files also
 * need the token. The renderer's build (index.html and its assets) is served without it: it holds
 * no data, and a page cannot attach a header to its own scripts, so the alternative would be a
 * cookie, which browsers would also send to every other port of the host.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname as machineName } from 'node:os';
import { ServiceError } from '../common/api/service-error.js';
import type { ServiceHost } from '../service/service-host.js';
import { serveApiCall } from './api-http.js';
import { createSocketHub, refuseUpgrade } from './api-ws.js';
import { authenticate, generateToken, tokenProblem } from './auth.js';
import { serveDatasetFile } from './files.js';
import { hostAccepter, sameOrigin } from './host-check.js';
import { pathSegments, splitTarget } from './request-path.js';
import { serveExportZip } from './export-download.js';
import { sendError, sendTokenPage, wantsHtml } from './responses.js';
import { serveStatic } from './static-files.js';

export interface ServerOptions {
  /** 0 = any free port (the default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: 32 random bytes as hex. */
  token?: string;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Largest request body and socket message; default 1 MiB. */
  maxBodyBytes?: number;
  /** How often sockets are pinged; one missed pong drops them. Default 30 s. */
  heartbeatMs?: number;
}

export interface RunningServer {
  /** Where to point a browser, the token in its fragment (`#token=`: never sent over the network). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const ONE_MIB = 1024 * 1024;

/** The host part of the printed URL: a name a browser can use for the bound address. */
function urlHost(bound: string): string {
  if (bound === '0.0.0.0' || bound === '::' || bound === '') return machineName();
  return bound.includes(':') ? `[${bound}]` : bound;
}

export async function startServer(host: ServiceHost, opts: ServerOptions): Promise<RunningServer> {
  const bindHost = opts.host ?? '127.0.0.1';
  const token = opts.token ?? generateToken();
  const problem = tokenProblem(token);
  if (problem) throw new Error(`token ${problem}`);
  const maxBodyBytes = opts.maxBodyBytes ?? ONE_MIB;
  const acceptsHost = hostAccepter(bindHost);
  const hub = createSocketHub(host, { maxMessageBytes: maxBodyBytes, heartbeatMs: opts.heartbeatMs ?? 30_000 });

  /** The gate; returns the decoded path. The renderer's build needs no token (see above). */
  function admit(req: IncomingMessage): string[] {
    if (!acceptsHost(req.headers.host)) throw new ServiceError('forbidden', 'Host header not accepted (open the URL the server printed)');
    if (!sameOrigin(req.headers.origin, req.headers.host)) throw new ServiceError('forbidden', 'cross-origin requests are not accepted');
    const { rawPath, query } = splitTarget(req.url);
    const segments = pathSegments(rawPath);
    const needsToken = segments[0] === 'api' || segments[0] === 'files' || segments[0] === 'exports' || req.headers.upgrade !== undefined;
    if (needsToken && !authenticate(req, query, token)) throw new ServiceError('unauthorized', 'missing or wrong token');
    return segments;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const segments = admit(req);
    const [top, ...rest] = segments;
    const method = req.method ?? 'GET';
    const allow = (allowed: string) => {
      if (allowed.split(', ').includes(method)) return true;
      res.setHeader('Allow', allowed);
      sendError(res, new ServiceError('bad-message', `${method} is not allowed here (${allowed})`), 405);
      return false;
    };
    if (top === 'api') {
      if (rest.length !== 1 || rest[0] === '') throw new ServiceError('unknown-method', 'expected /api/<method>');
      if (rest[0] === 'ws') throw new ServiceError('bad-message', '/api/ws takes a WebSocket upgrade');
      if (allow('POST')) await serveApiCall(req, res, host, rest[0], maxBodyBytes);
    } else if (top === 'files') {
      if (allow('GET, HEAD')) await serveDatasetFile(req, res, host, rest);
    } else if (top === 'exports') {
      if (allow('GET, HEAD')) await serveExportZip(req, res, host, rest);
    } else if (allow('GET, HEAD')) {
      await serveStatic(req, res, opts.rendererDir, segments, req.headers.host ?? '');
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      // The unread rest of an oversized body is not worth receiving: close after the refusal.
      if (err instanceof ServiceError && err.code === 'too-large') res.setHeader('Connection', 'close');
      if (err instanceof ServiceError && err.code === 'unauthorized' && wantsHtml(req.headers.accept)) sendTokenPage(res);
      else sendError(res, err);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    try {
      const segments = admit(req);
      if (segments.join('/') !== 'api/ws') throw new ServiceError('not-found', 'WebSocket upgrades are served at /api/ws only');
      hub.upgrade(req, socket, head);
    } catch (err) {
      refuseUpgrade(socket, err);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err) => {
    await hub.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(bindHost)}:${port}/#token=${token}`,
    port,
    token,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await hub.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
