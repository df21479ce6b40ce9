/**
 * Test clients: raw HTTP (node:http sends the path exactly as given, where fetch would fold `..`
 * away) and a WebSocket that collects what the server sends.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../core/common/api/wire.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json(): any;
}

export function raw(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POST /api/<method> with the token header. */
export async function callHttp(port: number, token: string, method: string, params: unknown = {}): Promise<RawResponse> {
  return raw(port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ params }),
  });
}

export interface TestSocket {
  ws: WebSocket;
  /** The next message from the server that matches (already received ones included). */
  next(match?: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  call(id: number, method: string, params?: unknown): Promise<ServerMessage>;
  closed: Promise<{ code: number }>;
}

/** `autoPong: false` plays a client that went away without a close frame. */
export function openSocket(url: string, headers: Record<string, string> = {}, autoPong = true, protocols?: string[]): Promise<TestSocket> {
  const ws = new WebSocket(url, protocols, { headers, autoPong });
  const inbox: ServerMessage[] = [];
  const waiting: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ServerMessage;
    const w = waiting.findIndex((x) => x.match(msg));
    if (w >= 0) waiting.splice(w, 1)[0].resolve(msg);
    else inbox.push(msg);
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  const next = (match: (m: ServerMessage) => boolean = () => true) => {
    const i = inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
    return new Promise<ServerMessage>((resolve) => waiting.push({ match, resolve }));
  };
  const socket: TestSocket = {
    ws,
    next,
    closed,
    call(id, method, params = {}) {
      ws.send(JSON.stringify({ type: 'call', id, method, params }));
      return next((m) => m.type !== 'event' && m.id === id);
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}
