/**
 * A FAKE of the 'electron' module, not Electron: the binary cannot be installed here, so the
 * shell's wiring is tested against this stand-in, loaded with `vi.mock('electron', ...)`. It has
 * only what electron/ uses, records what it is asked to do, and lets a test play Electron's part
 * (make the app ready, send an IPC call from some frame, end a utility process).
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

type Handler = (...args: never[]) => unknown;

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: [channel: string, payload: unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Emits a navigation-like event the way Electron does; returns whether a listener prevented it. */
  attempt(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url: string): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  shown = false;
  focused = false;
  destroyed = false;

  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }

  show(): void {
    this.shown = true;
  }

  focus(): void {
    this.focused = true;
  }

  restore(): void {}

  isMinimized(): boolean {
    return false;
  }

  static fromWebContents(contents: unknown): BrowserWindow | null {
    return BrowserWindow.created.find((w) => w.webContents === contents) ?? null;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  singleInstance = true;
  quitCalls = 0;
  private readyResolve!: () => void;
  private readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));

  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /** The test's stand-in for Electron becoming ready. */
  becomeReady(): void {
    this.readyResolve();
  }

  /** Like Electron: 'will-quit' listeners may prevent the quit. */
  quit(): void {
    this.quitCalls++;
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('quit');
  }

  exit(): void {}

  getPath(): string {
    return '/nonexistent/fake-electron-user-data';
  }

  reset(): void {
    this.removeAllListeners();
    this.singleInstance = true;
    this.quitCalls = 0;
    this.readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    this.handlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    permissionRequestHandler: undefined as ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined,
    permissionCheckHandler: undefined as ((...args: unknown[]) => boolean) | undefined,
    setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
      this.permissionCheckHandler = handler;
    },
  },
};

export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  killed = false;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: { serviceName?: string; stdio?: unknown },
  ) {
    super();
  }

  postMessage(message: unknown): void {
    this.posted.push(message);
  }

  kill(): boolean {
    this.killed = true;
    return true;
  }

  /** Plays the process ending: Electron's app-wide 'child-process-gone' (when abnormal), then 'exit'. */
  end(code: number, reason: string = code === 0 ? 'clean-exit' : 'crashed'): void {
    if (reason !== 'clean-exit') {
      app.emit('child-process-gone', {}, { type: 'Utility', reason, exitCode: code, name: this.options.serviceName, serviceName: 'node.mojom.NodeService' });
    }
    this.pid = undefined;
    this.emit('exit', code);
  }
}

export const utilityProcess = {
  forks: [] as FakeUtilityProcess[],
  fork(modulePath: string, args: string[] = [], options: { serviceName?: string; stdio?: unknown } = {}): FakeUtilityProcess {
    const child = new FakeUtilityProcess(modulePath, args, options);
    this.forks.push(child);
    return child;
  },
};

/** The native dialogs: records what was shown and answers as the test says the user did. */
export const dialog = {
  shown: [] as { parent: unknown; options: { properties?: string[]; title?: string } }[],
  answer: { canceled: true, filePaths: [] as string[] },
  async showOpenDialog(parentOrOptions: unknown, maybeOptions?: { properties?: string[] }) {
    const [parent, options] = maybeOptions ? [parentOrOptions, maybeOptions] : [undefined, parentOrOptions as { properties?: string[] }];
    this.shown.push({ parent, options });
    return this.answer;
  },
};

/** What the preload may touch; recorded so a test can see exactly what was exposed. */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoked: [] as [channel: string, payload: unknown][],
  reply: (async () => ({ result: null })) as (channel: string, payload: unknown) => Promise<unknown>,
  invoke(channel: string, payload: unknown): Promise<unknown> {
    this.invoked.push([channel, payload]);
    return this.reply(channel, payload);
  },
});

/** A call arriving on ipcMain as Electron would deliver it: from `sender`, out of a frame at `frameUrl`. */
export function invokeFrom(channel: string, sender: FakeWebContents | object, frameUrl: string | null, payload: unknown): Promise<unknown> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler on ${channel}`);
  const event = { sender, senderFrame: frameUrl === null ? null : { url: frameUrl } };
  return Promise.resolve((handler as (e: unknown, p: unknown) => unknown)(event, payload));
}

export function resetFake(): void {
  app.reset();
  BrowserWindow.created.length = 0;
  ipcMain.handlers.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  session.defaultSession.permissionRequestHandler = undefined;
  session.defaultSession.permissionCheckHandler = undefined;
  utilityProcess.forks.length = 0;
  contextBridge.exposed.clear();
  dialog.shown.length = 0;
  dialog.answer = { canceled: true, filePaths: [] };
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
}

export default { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess, contextBridge, ipcRenderer };
