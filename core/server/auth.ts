/**
 * The Jupyter-style token: random per start (or given), accepted as `?token=`, as
 * `Authorization: Token <t>` or as the `studio_token` cookie the server sets once a request has
 * shown the token in its query (so a page's assets and a reload need not carry it).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const TOKEN_COOKIE = 'studio_token';

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

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface AuthResult {
  ok: boolean;
  /** The token came in the query: the response should set the cookie. */
  setCookie: boolean;
}

/** Checks every place a token may come from; any one valid token admits the request. */
export function authenticate(req: IncomingMessage, query: URLSearchParams, token: string): AuthResult {
  const fromQuery = query.get('token');
  if (fromQuery !== null && sameToken(fromQuery, token)) return { ok: true, setCookie: true };
  const header = /^Token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (header !== undefined && sameToken(header, token)) return { ok: true, setCookie: false };
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  return { ok: cookie !== undefined && sameToken(cookie, token), setCookie: false };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
