/**
 * Downloads from the server that need the token (server mode): fetched with it in the
 * Authorization header, never in a URL a browser would keep in its history, then handed to
 * the browser's own download as a blob.
 */
import { ApiError } from './api-error.js';
import { TOKEN_KEY } from './token.js';

export async function downloadWithToken(path: string, fallbackName: string): Promise<string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch(new URL(path, location.href), { headers: token ? { authorization: `Token ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError('internal', body?.error?.message ?? `the download failed (HTTP ${res.status})`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The browser has started reading the blob by the time the click returns; give it a minute.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
