/**
 * GET /api/ws: the wire messages of core/common/api/wire.ts over WebSocket. Each message is
 * answered on its own (slow calls do not hold up fast ones); a bad message gets an error reply
 * and the socket stays open; events go to every socket; pings drop sockets that stopped
 * answering (a laptop that went to sleep leaves no close frame behind).
 */
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { errorData, ServiceError } from '../common/api/service-error.js';
import type { ServiceHost } from '../service/service-host.js';
import { idOf, parseCallMessage, SOCKET_PROTOCOL, type ServerMessage } from '../common/api/wire.js';
import { HTTP_STATUS } from './responses.js';

export interface SocketHub {
  /** Completes an upgrade the caller has already admitted. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Says goodbye to every socket (1001), cutting those that do not answer within a second. */
  close(): Promise<void>;
}

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

async function answer(host: ServiceHost, ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
  const text = isBinary ? null : (data as Buffer).toString('utf8');
  let call;
  try {
    if (text === null) throw new ServiceError('bad-message', 'binary messages are not accepted: send JSON text');
    call = parseCallMessage(text);
  } catch (err) {
    send(ws, { type: 'error', id: text === null ? null : idOf(text), error: errorData(err) });
    return;
  }
  try {
    const result = await host.call(call.method, call.params);
    send(ws, { type: 'result', id: call.id, result: result ?? null });
  } catch (err) {
    send(ws, { type: 'error', id: call.id, error: errorData(err) });
  }
}

export function createSocketHub(host: ServiceHost, opts: { maxMessageBytes: number; heartbeatMs: number }): SocketHub {
  // The app's subprotocol is selected; the one carrying the token is read by the gate, never echoed.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxMessageBytes,
    handleProtocols: (offered) => (offered.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });
  const answeredPing = new WeakSet<WebSocket>();

  wss.on('connection', (ws) => {
    answeredPing.add(ws);
    ws.on('pong', () => answeredPing.add(ws));
    ws.on('message', (data, isBinary) => void answer(host, ws, data, isBinary));
    // ws reports an oversized or corrupt frame here and closes the socket itself (1009 / 1002).
    ws.on('error', () => undefined);
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!answeredPing.has(ws)) {
        ws.terminate();
        continue;
      }
      answeredPing.delete(ws);
      ws.ping();
    }
  }, opts.heartbeatMs);
  heartbeat.unref();

  const unsubscribe = host.onEvent((event) => {
    for (const ws of wss.clients) send(ws, { type: 'event', event });
  });

  return {
    upgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      const closed = [...wss.clients].map((ws) => new Promise((resolve) => ws.once('close', resolve)));
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 1000);
      await Promise.all(closed);
      clearTimeout(cut);
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

/** Answers a refused upgrade with the same JSON error an HTTP request would get. */
export function refuseUpgrade(socket: Duplex, err: unknown): void {
  const error = errorData(err);
  const status = HTTP_STATUS[error.code];
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
