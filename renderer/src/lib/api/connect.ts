/**
 * The renderer's one way to the service: the Electron preload's bridge when present, else the
 * server's WebSocket with the token from the page URL.
 */
import type { ApiClient } from '#common/api/contract.js';
import { ApiError } from './api-error.js';
import { socketProtocols } from '#common/api/wire.js';
import { withoutKey } from '../location/url-state.js';
import { resolveToken, socketUrl } from './token.js';
import { WsApiClient, type ConnectionStatus } from './ws-client.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser. */
    studio?: ApiClient & {
      /** The desktop's native folder dialog (electron/export-folder.ts): the folder picked, or null. */
      pickExportFolder?(): Promise<string | null>;
    };
  }
}

export async function connect(onStatus?: (status: ConnectionStatus) => void): Promise<ApiClient> {
  if (window.studio) return window.studio;
  const token = resolveToken(location.search, sessionStorage, location.hash);
  if (new URLSearchParams(location.search).has('token') || /[#&]token=/.test(location.hash)) {
    // Off the address bar (and out of screenshots and history); session storage keeps it. The
    // rest of the fragment is the view to restore (location/url-state.ts).
    const clean = new URL(location.href);
    clean.searchParams.delete('token');
    clean.hash = withoutKey(location.hash, 'token');
    history.replaceState(history.state, '', clean);
  }
  const client = new WsApiClient(socketUrl(location.href), {
    WebSocket: window.WebSocket,
    protocols: token ? socketProtocols(token) : undefined,
    onStatus,
  });
  try {
    await client.whenOpen();
  } catch {
    client.close();
    const hint = token ? 'the token may be wrong or the server stopped' : 'open the URL the server printed, with its #token=';
    throw new ApiError('disconnected', `cannot connect to the service (${hint})`);
  }
  return client;
}
