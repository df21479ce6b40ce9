/**
 * The ApiClient over the server's WebSocket (`/api/ws`, the wire messages of core/common/api/wire.ts).
 * It reconnects with a growing delay after the socket closes; every call still waiting when the
 * socket it waits on closes is rejected with an 'disconnected' ApiError, because the service may
 * or may not have run it and only the caller can decide whether to repeat it.
 */
import type { ApiClient, EventListener, Method, Params, Result } from '#common/api/contract.js';
import type { CallMessage } from '#common/api/wire.js';
import { ApiError } from './api-error.js';
import { parseServerMessage } from './server-message.js';

/** The part of WebSocket both the browser's and the `ws` package's implement. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type SocketFactory = new (url: string, protocols?: string[]) => SocketLike;

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface WsClientOptions {
  /** The WebSocket constructor: `window.WebSocket` in the browser, `ws` under Node. */
  WebSocket: SocketFactory;
  /** Subprotocols to offer (server mode: the app's and the one carrying the token). */
  protocols?: string[];
  /** Milliseconds before reconnect attempt n (0-based); default 250 ms doubling up to 5 s. */
  retryDelay?: (attempt: number) => number;
  onStatus?: (status: ConnectionStatus) => void;
}

const OPEN = 1;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: ApiError) => void;
}

function defaultRetryDelay(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5000);
}

export class WsApiClient implements ApiClient {
  private socket: SocketLike | null = null;
  private nextId = 0;
  /** Sent, awaiting a reply. */
  private readonly inFlight = new Map<number, Pending>();
  /** Made while the socket was not open; sent when it opens. */
  private queued: { message: CallMessage; pending: Pending }[] = [];
  private readonly listeners = new Set<EventListener>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closedByUser = false;
  private openWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(
    private readonly url: string,
    private readonly options: WsClientOptions,
  ) {
    this.open();
  }

  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    if (this.closedByUser) return Promise.reject(new ApiError('disconnected', `cannot call ${method}: the client is closed`));
    return new Promise<Result<M>>((resolve, reject) => {
      const message: CallMessage = { type: 'call', id: this.nextId++, method, params };
      const pending: Pending = { method, resolve: resolve as (value: unknown) => void, reject };
      if (this.socket?.readyState === OPEN) this.send(message, pending);
      else this.queued.push({ message, pending });
    });
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the socket is open; rejects when the attempt it waits on fails. */
  whenOpen(): Promise<void> {
    if (this.socket?.readyState === OPEN) return Promise.resolve();
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  /** Stops reconnecting, closes the socket and rejects whatever is still waiting. */
  close(): void {
    this.closedByUser = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close();
    this.failAll('the client was closed');
  }

  private open(): void {
    this.options.onStatus?.('connecting');
    const socket = new this.options.WebSocket(this.url, this.options.protocols);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.options.onStatus?.('open');
      for (const waiter of this.openWaiters.splice(0)) waiter.resolve();
      for (const { message, pending } of this.queued.splice(0)) this.send(message, pending);
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    // Browsers fire 'error' then 'close'; only 'close' is acted on so nothing happens twice.
    socket.addEventListener('error', () => {});
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.onStatus?.('closed');
      this.failAll('the connection to the service was lost');
      if (!this.closedByUser) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = (this.options.retryDelay ?? defaultRetryDelay)(this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private send(message: CallMessage, pending: Pending): void {
    this.inFlight.set(message.id, pending);
    this.socket!.send(JSON.stringify(message));
  }

  private failAll(reason: string): void {
    for (const waiter of this.openWaiters.splice(0)) waiter.reject(new ApiError('disconnected', reason));
    const waiting = [...this.inFlight.values(), ...this.queued.map((q) => q.pending)];
    this.inFlight.clear();
    this.queued = [];
    for (const p of waiting) p.reject(new ApiError('disconnected', `${p.method} got no reply: ${reason}`));
  }

  private receive(data: unknown): void {
    const message = parseServerMessage(typeof data === 'string' ? data : String(data));
    if (typeof message === 'string') {
      // A reply we cannot read cannot be matched to its call either; the call fails when the
      // socket closes. Saying so in the console is all that can be done here.
      console.warn(`SEN12MS Studio: ignored a malformed message from the service (${message})`);
      return;
    }
    if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.event);
      return;
    }
    // An error with a null id answers a message the service could not parse; ours always parse.
    if (message.id === null) return;
    const pending = this.inFlight.get(message.id);
    if (!pending) return;
    this.inFlight.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new ApiError(message.error.code, message.error.message));
  }
}
