/**
 * The Electron main wiring (electron/desktop.ts and what it installs) against a FAKE electron
 * module (test/electron/fake-electron.ts) and a FAKE service: the real Electron binary is not
 * installed on this machine.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../core/common/api/service-error.js';
import { APP_ENTRY_URL } from '../../electron/app-url.js';
import { CLOSE_TIMEOUT_MS, startDesktop } from '../../electron/desktop.js';
import { CALL_CHANNEL, EVENT_CHANNEL, PICK_EXPORT_FOLDER_CHANNEL } from '../../electron/ipc-channels.js';
import * as fake from './fake-electron.js';
import { FakeHost } from './fake-host.js';

vi.mock('electron', () => import('./fake-electron.js'));

const SAMPLE_INFO = { id: 'abc123', name: 'sample' };

function fakeService() {
  return new FakeHost({
    'app.info': () => ({ apiVersion: 1, mode: 'desktop' }),
    'settings.get': () => ({ lastDataset: null }),
    'datasets.openSample': () => SAMPLE_INFO,
    'patch.get': () => {
      throw new ServiceError('not-found', 'patch "nope" is not in the catalog');
    },
  });
}

async function started(host: FakeHost, dataset?: string) {
  const done = startDesktop({ rendererDir: '/nonexistent/renderer', preload: '/app/dist/electron/preload.cjs', dataset, createService: async () => host });
  fake.app.becomeReady();
  await done;
  const win = fake.BrowserWindow.created[0];
  return { win, contents: win.webContents };
}

describe('the desktop main process before Electron is ready', () => {
  beforeEach(() => fake.resetFake());

  it('has registered both schemes as privileged and created nothing yet', () => {
    void startDesktop({ rendererDir: '/r', preload: '/p.cjs', createService: async () => fakeService() });
    expect(fake.protocol.privileged.map((s) => s.scheme).sort()).toEqual(['studio', 'studio-file']);
    for (const s of fake.protocol.privileged) expect(s.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(fake.protocol.handlers.size).toBe(0);
    expect(fake.BrowserWindow.created).toHaveLength(0);
  });
});

describe('the desktop main process', () => {
  let host: FakeHost;
  let win: fake.BrowserWindow;
  let contents: fake.FakeWebContents;

  beforeAll(async () => {
    fake.resetFake();
    host = fakeService();
    ({ win, contents } = await started(host));
  });

  it('creates one sandboxed, context-isolated window without Node, on the app page', () => {
    expect(fake.BrowserWindow.created).toHaveLength(1);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/app/dist/electron/preload.cjs',
    });
    expect(win.loadedUrl).toBe(APP_ENTRY_URL);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('handles both schemes once ready', () => {
    expect([...fake.protocol.handlers.keys()].sort()).toEqual(['studio', 'studio-file']);
  });

  it('denies window.open', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'studio://app/index.html' })).toEqual({ action: 'deny' });
  });

  it('prevents navigation and redirects away from the app, allows its own pages', () => {
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-navigate', 'studio-file://abc123/x.tif')).toBe(true);
    expect(contents.attempt('will-navigate', 'studio://evil/index.html')).toBe(true);
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(contents.attempt('will-navigate', 'studio://app/index.html#/results')).toBe(false);
    expect(contents.attempt('will-attach-webview', 'https://example.org/')).toBe(true);
  });

  it('guards every webContents Electron creates, not only our window', () => {
    const other = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, other);
    expect(other.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(other.attempt('will-navigate', 'https://example.org/')).toBe(true);
  });

  it('denies every permission request and check', () => {
    const granted: boolean[] = [];
    fake.session.defaultSession.permissionRequestHandler?.(contents, 'media', (g) => granted.push(g));
    fake.session.defaultSession.permissionRequestHandler?.(contents, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(fake.session.defaultSession.permissionCheckHandler?.(contents, 'clipboard-read')).toBe(false);
  });

  it('opens the embedded sample when no data set was named and none was open before', () => {
    expect(host.calls.map(([m]) => m).slice(0, 2)).toEqual(['settings.get', 'datasets.openSample']);
  });

  it('serves a call from its own window and page', async () => {
    const before = host.calls.length;
    const reply = await fake.invokeFrom(CALL_CHANNEL, contents, 'studio://app/index.html', { type: 'call', id: 1, method: 'app.info', params: {} });
    expect(reply).toEqual({ result: { apiVersion: 1, mode: 'desktop' } });
    expect(host.calls.slice(before)).toEqual([['app.info', {}]]);
  });

  it('refuses calls from another webContents or another page, without reaching the service', async () => {
    const before = host.calls.length;
    const msg = { type: 'call', id: 2, method: 'app.info', params: {} };
    const stranger = await fake.invokeFrom(CALL_CHANNEL, new fake.FakeWebContents(), 'studio://app/index.html', msg);
    const otherPage = await fake.invokeFrom(CALL_CHANNEL, contents, 'https://evil.example/', msg);
    const lookalike = await fake.invokeFrom(CALL_CHANNEL, contents, 'studio://app.evil/index.html', msg);
    const goneFrame = await fake.invokeFrom(CALL_CHANNEL, contents, null, msg);
    for (const reply of [stranger, otherPage, lookalike, goneFrame]) {
      expect(reply).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(host.calls.length).toBe(before);
  });

  it("returns a service refusal as {error: {code, message}}", async () => {
    const reply = await fake.invokeFrom(CALL_CHANNEL, contents, 'studio://app/index.html', { type: 'call', id: 3, method: 'patch.get', params: { dataset: 'x', id: 'nope' } });
    expect(reply).toEqual({ error: { code: 'not-found', message: 'patch "nope" is not in the catalog' } });
  });

  it('answers a malformed message with bad-message and stays usable', async () => {
    for (const bad of [null, 'not json', { type: 'call', id: -1, method: 'app.info' }, { type: 'call', id: 4 }, { type: 'nope', id: 5, method: 'app.info' }]) {
      expect(await fake.invokeFrom(CALL_CHANNEL, contents, 'studio://app/index.html', bad)).toMatchObject({ error: { code: 'bad-message' } });
    }
    expect(await fake.invokeFrom(CALL_CHANNEL, contents, 'studio://app/', { type: 'call', id: 6, method: 'app.info' })).toMatchObject({ result: { mode: 'desktop' } });
  });

  it('shows the native folder dialog for an export destination and lets exports write to the folder picked', async () => {
    fake.dialog.answer = { canceled: false, filePaths: ['/home/me/exports/run-7'] };
    const reply = await fake.invokeFrom(PICK_EXPORT_FOLDER_CHANNEL, contents, 'studio://app/index.html', undefined);
    expect(reply).toEqual({ result: '/home/me/exports/run-7' });
    expect(host.exportRoots).toEqual(['/home/me/exports/run-7']);
    const [shown] = fake.dialog.shown;
    expect(shown.parent).toBe(win);
    expect(shown.options.properties).toContain('openDirectory');
    expect(shown.options.properties).not.toContain('openFile');
  });

  it('allows nothing when the dialog is cancelled, and shows no dialog to a stranger', async () => {
    const roots = host.exportRoots.length;
    const shown = fake.dialog.shown.length;
    fake.dialog.answer = { canceled: true, filePaths: [] };
    expect(await fake.invokeFrom(PICK_EXPORT_FOLDER_CHANNEL, contents, 'studio://app/index.html', undefined)).toEqual({ result: null });
    fake.dialog.answer = { canceled: false, filePaths: ['/etc'] };
    const stranger = await fake.invokeFrom(PICK_EXPORT_FOLDER_CHANNEL, new fake.FakeWebContents(), 'studio://app/index.html', undefined);
    const otherPage = await fake.invokeFrom(PICK_EXPORT_FOLDER_CHANNEL, contents, 'https://evil.example/', undefined);
    for (const reply of [stranger, otherPage]) expect(reply).toMatchObject({ error: { code: 'forbidden' } });
    expect(fake.dialog.shown.length).toBe(shown + 1);
    expect(host.exportRoots.length).toBe(roots);
  });

  it('forwards service events to its windows', () => {
    const event = { type: 'dataset.index' as const, dataset: 'abc123', done: 3, total: 48 };
    host.emit(event);
    expect(contents.sent).toContainEqual([EVENT_CHANNEL, event]);
  });

  it('closes the service before quitting, once', async () => {
    fake.app.quit();
    expect(fake.app.quitCalls).toBe(1);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(2));
    expect(host.closed).toBe(1);
    expect(fake.ipcMain.handlers.has(CALL_CHANNEL)).toBe(false);
    expect(fake.ipcMain.handlers.has(PICK_EXPORT_FOLDER_CHANNEL)).toBe(false);
  });
});

describe('quitting while the service will not close', () => {
  beforeEach(() => fake.resetFake());

  it('quits anyway after the bounded wait, closing once however often quit is asked', async () => {
    const host = fakeService();
    let closeCalls = 0;
    host.close = () => {
      closeCalls++;
      return new Promise<void>(() => {});
    };
    await started(host);
    vi.useFakeTimers();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      fake.app.quit();
      fake.app.quit();
      await vi.advanceTimersByTimeAsync(CLOSE_TIMEOUT_MS - 1);
      expect(fake.app.quitCalls).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.app.quitCalls).toBe(3);
      expect(closeCalls).toBe(1);
      expect(String(stderr.mock.calls[0][0])).toContain('did not close');
    } finally {
      vi.useRealTimers();
      stderr.mockRestore();
    }
  });
});

describe('a second instance of the desktop app', () => {
  beforeEach(() => fake.resetFake());

  it('quits at once without a window or a service', async () => {
    fake.app.singleInstance = false;
    const create = vi.fn(async () => fakeService());
    await startDesktop({ rendererDir: '/r', preload: '/p.cjs', createService: create });
    expect(fake.app.quitCalls).toBe(1);
    expect(create).not.toHaveBeenCalled();
    expect(fake.BrowserWindow.created).toHaveLength(0);
  });

  it('makes the first instance focus its window', async () => {
    const { win } = await started(fakeService());
    fake.app.emit('second-instance');
    expect(win.focused).toBe(true);
  });
});

describe('the data set a desktop start opens', () => {
  beforeEach(() => fake.resetFake());

  it('is the folder named on the command line', async () => {
    const host = new FakeHost({ 'datasets.open': (p) => ({ id: 'x', dir: (p as { dir: string }).dir }) });
    await started(host, '/data/SEN12MS');
    await vi.waitFor(() => expect(host.calls).toEqual([['datasets.open', { dir: '/data/SEN12MS' }]]));
  });

  it('is the last one opened, or the sample when that one cannot be opened any more', async () => {
    const host = new FakeHost({
      'settings.get': () => ({ lastDataset: '/gone/folder' }),
      'datasets.open': () => {
        throw new ServiceError('invalid-params', '/gone/folder: not a folder');
      },
      'datasets.openSample': () => SAMPLE_INFO,
    });
    const warnings: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (warnings.push(String(chunk)), true));
    try {
      await started(host);
      await vi.waitFor(() => expect(host.calls.map(([m]) => m)).toEqual(['settings.get', 'datasets.open', 'datasets.openSample']));
    } finally {
      vi.restoreAllMocks();
    }
    expect(warnings.join('')).toMatch(/\/gone\/folder.*embedded sample/);
  });
});
