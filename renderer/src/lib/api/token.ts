/** Where the server-mode token is kept between reloads of the same tab. */
export const TOKEN_KEY = 'sen12ms-studio.token';

/**
 * The token from the page URL (`?token=`), remembered in session storage so a reload without it
 * still connects; null when neither has one.
 */
/** The part of sessionStorage used here. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function resolveToken(search: string, storage: TokenStorage): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/** The socket URL next to the page: ws(s)://host/<base>/api/ws?token=... */
export function socketUrl(pageUrl: string, token: string | null): string {
  const url = new URL('./api/ws', pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = token ? `?token=${encodeURIComponent(token)}` : '';
  url.hash = '';
  return url.toString();
}
