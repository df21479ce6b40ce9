/**
 * What no page of the app may do, applied to every webContents Electron creates (not only the
 * ones we create, so nothing slips past): open windows, navigate or redirect away from the app,
 * embed <webview>, or be granted a permission (camera, notifications, ...).
 */
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './app-url.js';

export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void; url: string }) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
