/**
 * The app window: the renderer from studio://app in a sandboxed, context-isolated page whose
 * only door to the rest of the app is the preload's `window.studio`.
 */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-url.js';

export function createAppWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'SEN12MS Studio',
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY_URL).catch((err: Error) => process.stderr.write(`SEN12MS Studio: the app page did not load: ${err.message}\n`));
  return win;
}
