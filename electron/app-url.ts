/**
 * The desktop app's own addresses: the renderer at studio://app/, data set files at
 * studio-file://<datasetId>/<relative path>. Navigation and IPC checks compare against these.
 */
export const APP_SCHEME = 'studio';
export const APP_HOST = 'app';
export const FILE_SCHEME = 'studio-file';

export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether `url` is a page of the app itself. Compared by scheme and host: WHATWG URL gives
 * custom schemes the origin "null", which would match any other custom-scheme page.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}
