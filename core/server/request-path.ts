/**
 * The request target split into decoded path segments, without URL normalisation: WHATWG URL
 * parsing would fold `/files/x/../../etc` into `/etc`, turning an attack on the file endpoint
 * into an innocent-looking page request. Here any segment that could leave a folder is refused.
 */
import { ServiceError } from '../common/api/service-error.js';

export interface RequestTarget {
  rawPath: string;
  query: URLSearchParams;
}

export function splitTarget(target: string | undefined): RequestTarget {
  if (!target?.startsWith('/')) throw new ServiceError('bad-message', 'request target must be a path starting with /');
  const q = target.indexOf('?');
  return {
    rawPath: q < 0 ? target : target.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)),
  };
}

const UNSAFE_SEGMENT = /[/\\\0]/;

/** Decoded segments; `/` is `['']` and a trailing slash leaves a final ''. */
export function pathSegments(rawPath: string): string[] {
  return rawPath
    .slice(1)
    .split('/')
    .map((raw, i, all) => {
      let s: string;
      try {
        s = decodeURIComponent(raw);
      } catch {
        throw new ServiceError('bad-message', `path segment "${raw}" is not valid percent-encoding`);
      }
      // An empty segment inside the path would make the rest absolute once joined.
      if (s === '..' || s === '.' || UNSAFE_SEGMENT.test(s) || (s === '' && i < all.length - 1)) {
        throw new ServiceError('forbidden', `path ${JSON.stringify(rawPath)} leaves its folder`);
      }
      return s;
    });
}
