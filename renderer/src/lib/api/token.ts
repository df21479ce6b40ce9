/** Where the server-mode token is kept between reloads of the same tab. */
export const TOKEN_KEY = 'sen12ms-studio.token';

/** The part of sessionStorage used here. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The token from the page URL, remembered in session storage (per origin: scheme, host and port)
 * so a reload without it still connects; null when neither has one. The server prints it in the
 * fragment (`#token=`), which the browser never sends; `?token=` is still read from older URLs.
 */
export function resolveToken(search: string, storage: TokenStorage, hash = ''): string | null {
  const fromUrl = new URLSearchParams(hash.replace(/^#/, '')).get('token') || new URLSearchParams(search).get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/**
 * The socket URL next to the page: ws(s)://host/<base>/api/ws. The token does not go in it: it
 * travels as a subprotocol (socketProtocols in #common/api/wire.js).
 */
export function socketUrl(pageUrl: string): string {
  const url = new URL('./api/ws', pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.toString();
}
