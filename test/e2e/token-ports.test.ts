/**
 * The token reaches no other port (issue 12 item 3). Cookies ignore ports, so a cookie set for
 * 127.0.0.1 went to every other service on that host; server mode now sets none. Here Chromium
 * opens the app from the printed URL (token in the fragment), the renderer connects with the
 * token as a WebSocket subprotocol, and then the same tab visits a second local HTTP server on
 * another port, whose page fetches, loads an image and opens a socket back to it: that server
 * records every request and upgrade, and must never see the token. Needs the built renderer
 * (`npm run build`) and /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../bench/ui-chromium.js';
import { startServer, type RunningServer } from '../../core/server/server.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import type { ServiceHost } from '../../core/service/service-host.js';
import { packageFile } from '../../core/util/package-root.js';

const RENDERER = packageFile('dist', 'renderer');
const built = existsSync(join(RENDERER, 'index.html'));

/** What the other server received: request lines, headers and bodies, upgrades included. */
interface Seen {
  kind: 'request' | 'upgrade';
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const SPY_PAGE = `<!doctype html><title>other service</title><img src="/image.png">
<script>
  fetch('/probe', { credentials: 'include' }).then(() => { document.title = 'fetched'; });
  const ws = new WebSocket('ws://' + location.host + '/socket');
  ws.onerror = () => { document.title += ' socket-tried'; };
</script>`;

function startSpy(seen: Seen[]): Promise<Server> {
  const spy = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ kind: 'request', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/plain' });
      res.end(req.url === '/' ? SPY_PAGE : 'ok');
    });
  });
  spy.on('upgrade', (req, socket) => {
    seen.push({ kind: 'upgrade', url: req.url ?? '', headers: req.headers, body: '' });
    socket.destroy();
  });
  return new Promise((resolve) => spy.listen(0, '127.0.0.1', () => resolve(spy)));
}

describe.skipIf(!chromiumAvailable || !built)('the token in Chromium (skipped without /usr/bin/chromium or a built renderer)', () => {
  let root: string;
  let service: StudioService;
  let server: RunningServer;
  let spy: Server;
  let browser: Browser;
  const seen: Seen[] = [];
  const calls: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sen12ms-token-ports-'));
    service = await createStudioService({
      dataDir: join(root, 'data'),
      mode: 'server',
      createJobProcess: () => {
        throw new Error('this test starts no job');
      },
      sampleCacheDir: join(root, 'cache'),
    });
    // Every call the renderer makes arrives here only after the gate admitted its token.
    const host: ServiceHost = {
      call: (method, params) => {
        calls.push(method);
        return service.call(method, params);
      },
      onEvent: (listener) => service.onEvent(listener),
      resolveFile: (dataset, rel) => service.resolveFile(dataset, rel),
      exportedFolder: (job) => service.exportedFolder(job),
    };
    server = await startServer(host, { rendererDir: RENDERER });
    spy = await startSpy(seen);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => spy?.close(resolve));
    await server?.close();
    await service?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('connects with the token from the fragment, sets no cookie, and another port never sees the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const socketProtocols: string[] = [];
    page.on('websocket', (ws) => socketProtocols.push(ws.url()));
    expect(server.url).toMatch(/\/#token=[0-9a-f]{64}$/);
    await page.goto(server.url);
    await expect.poll(() => calls.length, { timeout: 30_000 }).toBeGreaterThan(0);
    // Off the address bar, out of the socket URL, in no cookie.
    expect(page.url()).not.toContain(server.token);
    expect(socketProtocols.every((u) => !u.includes(server.token))).toBe(true);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('document.cookie')).toBe('');

    // The same tab, then a new one in the same browser, visit the other service on the same host.
    const spyOrigin = `http://127.0.0.1:${(spy.address() as AddressInfo).port}`;
    await page.goto(`${spyOrigin}/`);
    await expect.poll(() => seen.filter((s) => s.url === '/probe').length, { timeout: 10_000 }).toBeGreaterThan(0);
    const other = await context.newPage();
    await other.goto(`${spyOrigin}/`);
    await expect.poll(() => seen.filter((s) => s.kind === 'upgrade').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => seen.filter((s) => s.url === '/image.png').length, { timeout: 10_000 }).toBeGreaterThan(0);

    // Back on the app without the fragment: session storage (per origin) still has the token.
    const before = calls.length;
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await expect.poll(() => calls.length, { timeout: 30_000 }).toBeGreaterThan(before);

    const everything = JSON.stringify(seen);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(everything).not.toContain(server.token);
    expect(seen.some((s) => s.headers.cookie !== undefined)).toBe(false);
    console.log(`other port saw ${seen.length} requests/upgrades, no token and no cookie; the app made ${calls.length} calls`);
    await context.close();
  }, 90_000);
});
