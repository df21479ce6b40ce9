/**
 * DNS rebinding defence: a page on evil.example whose name later resolves to 127.0.0.1 reaches
 * this server with `Host: evil.example`, so requests are only answered for host names the
 * server is known by. Cross-origin pages (another local port included: cookies ignore ports)
 * are kept out of the API and the socket by the Origin check.
 *
 * Accepted Host names (any port, since an SSH tunnel may forward another one):
 * - loopback: `localhost`, any `127.x.x.x`, `[::1]`;
 * - the host the server is bound to;
 * - when bound to every interface (0.0.0.0 or ::): any IP literal, and this machine's name
 *   (`os.hostname()`, alone or with a domain after it).
 */
import { isIP } from 'node:net';
import { hostname as machineName } from 'node:os';

const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;

/** The lower-case name of a Host header (IPv6 without brackets), or null when it is malformed. */
export function hostName(header: string | undefined): string | null {
  const m = HOST_HEADER.exec(header ?? '');
  if (!m) return null;
  const name = m[1].toLowerCase().replace(/\.$/, '');
  return name.startsWith('[') ? name.slice(1, -1) : name;
}

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** A predicate over Host headers for a server bound to `boundHost`. */
export function hostAccepter(boundHost: string): (header: string | undefined) => boolean {
  const bound = boundHost.toLowerCase().replace(/^\[|\]$/g, '');
  const machine = machineName().toLowerCase();
  return (header) => {
    const name = hostName(header);
    if (name === null) return false;
    if (isLoopbackHost(name) || name === bound) return true;
    if (!isWildcard(bound)) return false;
    return isIP(name) !== 0 || name === machine || name.startsWith(`${machine}.`);
  };
}

/**
 * Same origin: the Origin's scheme, host and port are those of the request, i.e. `scheme` (the
 * server speaks plain http) and the Host it was sent to, default ports made explicit. No Origin
 * is accepted, since browsers always send one on socket upgrades and cross-origin requests; what
 * omits it is a program, which still needs the token.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined, scheme: 'http:' | 'https:' = 'http:'): boolean {
  if (origin === undefined) return true;
  try {
    const from = new URL(origin);
    const to = new URL(`${scheme}//${host ?? ''}`);
    const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
    return from.protocol === scheme && from.hostname === to.hostname && port(from) === port(to);
  } catch {
    return false;
  }
}
