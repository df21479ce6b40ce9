/**
 * The Jupyter-style token: random per start (or given), accepted as `?token=`, as
 * `Authorization: Token <t>` or, on a socket upgrade, as the `sen12ms-studio.token.<t>`
 * subprotocol (what the renderer sends: a browser cannot set headers on a WebSocket). No cookie
 * is ever set: cookies ignore ports, so one for 127.0.0.1 would reach every service on the host.
 * The printed URL carries the token in its fragment, which the browser never sends anywhere;
 * the renderer keeps it in session storage, which is per origin (scheme, host and port).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PROTOCOL_PREFIX } from '../common/api/wire.js';

/** URL- and cookie-safe characters only, and long enough not to be guessed. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Why a chosen token cannot be used, or null when it can. */
export function tokenProblem(token: string): string | null {
  return TOKEN_PATTERN.test(token) ? null : 'must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ -';
}

/** Equal-length digests let timingSafeEqual compare tokens of any length in constant time. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token a socket upgrade offered as a subprotocol (`sen12ms-studio.token.<t>`), if any. */
function protocolToken(header: string | string[] | undefined): string | undefined {
  const list = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of list.split(',')) {
    const p = part.trim();
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** Checks every place a token may come from; any one valid token admits the request. */
export function authenticate(req: IncomingMessage, query: URLSearchParams, token: string): boolean {
  const fromQuery = query.get('token');
  if (fromQuery !== null && sameToken(fromQuery, token)) return true;
  const header = /^Token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (header !== undefined && sameToken(header, token)) return true;
  const fromProtocol = protocolToken(req.headers['sec-websocket-protocol']);
  return fromProtocol !== undefined && sameToken(fromProtocol, token);
}
