/**
 * The renderer's WebSocket client, run under Node with the `ws` package's WebSocket against a tiny
 * ws server in this file. The server speaks the real wire messages (core/common/api/wire.ts) over a
 * FAKE ServiceHost-like handler: it stands in for the service so each case controls the reply.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { errorData, ServiceError } from '../../../core/common/api/service-error.js';
import { idOf, parseCallMessage, type ServerMessage } from '../../../core/common/api/wire.js';
import { ApiError } from '../../../renderer/src/lib/api/api-error.js';
import { WsApiClient, type ConnectionStatus } from '../../../renderer/src/lib/api/ws-client.js';

type Handler = (method: string, params: unknown) => Promise<unknown>;

interface TinyServer {
  url: string;
  wss: WebSocketServer;
  received: string[];
  broadcast(msg: ServerMessage): void;
  close(): Promise<void>;
}

async function tinyServer(handler: Handler, port = 0): Promise<TinyServer> {
  const wss = new WebSocketServer({ port, host: '127.0.0.1' });
  await once(wss, 'listening');
  const received: string[] = [];
  wss.on('connection', (socket) => {
    socket.on('message', async (data) => {
      const text = data.toString();
      received.push(text);
      let reply: ServerMessage;
      try {
        const call = parseCallMessage(text);
        reply = { type: 'result', id: call.id, result: await handler(call.method, call.params) };
      } catch (err) {
        reply = { type: 'error', id: idOf(text), error: errorData(err) };
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(reply));
    });
  });
  const { port: bound } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${bound}/api/ws?token=t`,
    wss,
    received,
    broadcast: (msg) => wss.clients.forEach((c) => c.send(JSON.stringify(msg))),
    close: () =>
      new Promise<void>((resolve) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close(() => resolve());
      }),
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function client(url: string, statuses: ConnectionStatus[] = []): WsApiClient {
  const c = new WsApiClient(url, { WebSocket, retryDelay: () => 20, onStatus: (s) => statuses.push(s) });
  cleanups.push(() => c.close());
  return c;
}

async function server(handler: Handler): Promise<TinyServer> {
  const s = await tinyServer(handler);
  cleanups.push(() => s.close());
  return s;
}

describe('WsApiClient', () => {
  it('sends wire call messages and resolves each call with its own result, whatever the reply order', async () => {
    const s = await server(async (method, params) => {
      // The first call answers last, so replies arrive out of order.
      if (method === 'datasets.list') await new Promise((r) => setTimeout(r, 50));
      return { method, params };
    });
    const c = client(s.url);
    const [slow, fast] = await Promise.all([
      c.call('datasets.list', {}),
      c.call('patch.get', { dataset: 'd1', id: 'ROIs1158_spring_124_p100' }),
    ]);
    expect(slow).toEqual({ method: 'datasets.list', params: {} });
    expect(fast).toEqual({ method: 'patch.get', params: { dataset: 'd1', id: 'ROIs1158_spring_124_p100' } });
    const sent = s.received.map((t) => JSON.parse(t));
    expect(sent.map((m) => m.type)).toEqual(['call', 'call']);
    expect(new Set(sent.map((m) => m.id)).size).toBe(2);
  });

  it('rejects with an ApiError carrying the service code and message', async () => {
    const s = await server(async () => {
      throw new ServiceError('invalid-params', 'params.dataset: must be a string');
    });
    const c = client(s.url);
    const err = await c.call('datasets.index', { dataset: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'invalid-params', message: 'params.dataset: must be a string' });
  });

  it('passes pushed events to every listener until it unsubscribes', async () => {
    const s = await server(async () => 'ok');
    const c = client(s.url);
    const a: unknown[] = [];
    const b: unknown[] = [];
    c.onEvent((e) => a.push(e));
    const stopB = c.onEvent((e) => b.push(e));
    await c.whenOpen();
    const first = { type: 'dataset.index', dataset: 'd', done: 1, total: 2 } as const;
    s.broadcast({ type: 'event', event: first });
    await c.call('app.info', {}); // the reply comes after the event on the same socket
    stopB();
    s.broadcast({ type: 'event', event: { ...first, done: 2 } });
    await c.call('app.info', {});
    expect(a).toEqual([first, { ...first, done: 2 }]);
    expect(b).toEqual([first]);
  });

  it('rejects calls in flight with a clear "disconnected" error when the socket drops, then reconnects', async () => {
    let release: () => void = () => {};
    const s = await server(async (method) => {
      if (method === 'jobs.list') await new Promise<void>((r) => (release = r));
      return method;
    });
    const statuses: ConnectionStatus[] = [];
    const c = client(s.url, statuses);
    const waiting = c.call('jobs.list', {}).catch((e: unknown) => e);
    await expect.poll(() => s.received.length).toBe(1);
    s.wss.clients.forEach((socket) => socket.terminate());
    const err = await waiting;
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('disconnected');
    expect((err as ApiError).message).toMatch(/jobs\.list got no reply: the connection to the service was lost/);
    release();
    // Back on a fresh socket: the next call goes through.
    await expect(c.call('app.info', {})).resolves.toBe('app.info');
    expect(statuses.filter((st) => st === 'open').length).toBe(2);
  });

  it('queues calls made before the socket opens and sends them once it does', async () => {
    const s = await server(async (method) => method);
    const c = client(s.url);
    // No await before the call: the socket is still connecting.
    await expect(c.call('settings.get', {})).resolves.toBe('settings.get');
  });

  it('fails calls waiting on a server that is not there, and recovers when it comes up on that port', async () => {
    const probe = await tinyServer(async () => null);
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const c = client(`ws://127.0.0.1:${port}/api/ws`);
    await expect(c.whenOpen()).rejects.toMatchObject({ code: 'disconnected' });
    const s = await tinyServer(async (method) => method, port);
    cleanups.push(() => s.close());
    await expect.poll(async () => c.call('app.info', {}).catch(() => 'failed'), { timeout: 5000 }).toBe('app.info');
  });

  it('refuses calls after close() without touching the network', async () => {
    const s = await server(async (method) => method);
    const c = client(s.url);
    await c.whenOpen();
    c.close();
    await expect(c.call('app.info', {})).rejects.toMatchObject({ code: 'disconnected', message: /client is closed/ });
    expect(s.received).toEqual([]);
  });

  it('ignores a malformed server message and keeps serving the calls after it', async () => {
    const s = await server(async (method) => method);
    const c = client(s.url);
    await c.whenOpen();
    s.wss.clients.forEach((socket) => socket.send('{not json'));
    s.wss.clients.forEach((socket) => socket.send(JSON.stringify({ type: 'result' })));
    await expect(c.call('app.info', {})).resolves.toBe('app.info');
  });
});
