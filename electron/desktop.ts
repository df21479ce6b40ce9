/**
 * The desktop app's lifecycle: one instance, every webContents guarded, the service created
 * once Electron is ready, then the protocols, the IPC adapter, the export folder picker and the
 * window on top of it; the
 * service is closed (jobs stopped, databases closed) before the app exits.
 */
import { app, BrowserWindow, session } from 'electron';
import type { ServiceHost } from '../core/service/service-host.js';
import { denyPermissions, guardWebContents } from './guards.js';
import { attachExportFolderPicker, type ExportRoots } from './export-folder.js';
import { attachIpc } from './ipc.js';
import { handleSchemes, registerSchemes } from './protocols.js';
import { openStartDataset } from '../core/service/start-dataset.js';
import { createAppWindow } from './window.js';

export interface DesktopService extends ServiceHost, ExportRoots {
  close(): Promise<void>;
}

export interface DesktopOptions {
  /** The built renderer served at studio://app (dist/renderer). */
  rendererDir: string;
  /** The compiled preload (dist/electron/preload.cjs). */
  preload: string;
  /** A data set folder from the command line; else the last one or the embedded sample. */
  dataset?: string;
  createService(): Promise<DesktopService>;
}

/** A service that does not close in this time (a job worker that will not die) is left behind. */
export const CLOSE_TIMEOUT_MS = 10_000;

function report(message: string): void {
  process.stderr.write(`SEN12MS Studio: ${message}\n`);
}

/** Closes the service, giving up after `ms` so a stuck close cannot keep the app from quitting. */
async function closeWithin(service: DesktopService, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      report(`the service did not close within ${ms / 1000} s; quitting anyway`);
      resolve();
    }, ms);
  });
  try {
    await Promise.race([service.close().catch((err: Error) => report(`closing the service failed: ${err.message}`)), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wires the app; call it at load time of the main module (schemes must be registered before
 * 'ready'). Resolves once the window is created, or at once in a second instance, which only
 * hands focus to the first.
 */
export async function startDesktop(opts: DesktopOptions): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerSchemes();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  const windows = new Set<BrowserWindow>();
  const ourContents = () => [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents);
  let service: DesktopService | undefined;
  let detachIpc: (() => void) | undefined;
  let detachPicker: (() => void) | undefined;
  let closing: Promise<void> | undefined;
  let closed = false;

  const openWindow = () => {
    const win = createAppWindow(opts.preload);
    windows.add(win);
    win.on('closed', () => windows.delete(win));
  };

  app.on('second-instance', () => {
    const [win] = windows;
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    // macOS keeps an app without windows running until the user quits it from the dock.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (service && windows.size === 0) openWindow();
  });
  app.on('will-quit', (event) => {
    if (closed || !service) return;
    event.preventDefault();
    if (closing) return;
    detachIpc?.();
    detachPicker?.();
    closing = closeWithin(service, CLOSE_TIMEOUT_MS).then(() => {
      closed = true;
      app.quit();
    });
  });

  await app.whenReady();
  denyPermissions(session.defaultSession);
  service = await opts.createService();
  handleSchemes({ rendererDir: opts.rendererDir, host: service });
  detachIpc = attachIpc({ host: service, windows: ourContents });
  detachPicker = attachExportFolderPicker({ service, windows: ourContents });
  // Not awaited: indexing a large folder takes a while, and the window shows its progress.
  openStartDataset(service, opts.dataset, report).catch((err: Error) => report(`cannot open the data set: ${err.message}`));
  openWindow();
}
