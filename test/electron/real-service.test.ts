/**
 * The desktop shell over the REAL service on a small synthetic data set, with a FAKE electron
 * module (test/electron/fake-electron.ts) in place of the binary that cannot be installed here:
 * IPC calls from the window reach the service, and the two custom protocols serve the built
 * renderer and the data set's files, confined by the service (symlinks included). No job starts.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { htmlCsp } from '../../core/server/responses.js';
import type { DatasetInfo, PatchSummary } from '../../core/common/api/contract.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { DESKTOP_CSP } from '../../electron/csp.js';
import { startDesktop } from '../../electron/desktop.js';
import { CALL_CHANNEL } from '../../electron/ipc-channels.js';
import { s2Patches, syntheticDataset, tempDir } from '../catalog/fixture.js';
import * as fake from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const SECRET = 'SECRET-CONTENTS-e1ec';
let root: string;
let datasetDir: string;
let service: StudioService;
let dataset: DatasetInfo;
let contents: fake.FakeWebContents;

const call = async (id: number, method: string, params: unknown) =>
  (await fake.invokeFrom(CALL_CHANNEL, contents, 'studio://app/index.html', { type: 'call', id, method, params })) as { result?: unknown; error?: unknown };

function fetchScheme(scheme: 'studio' | 'studio-file', url: string, headers: Record<string, string> = {}): Promise<Response> {
  const handler = fake.protocol.handlers.get(scheme);
  if (!handler) throw new Error(`no handler for ${scheme}`);
  return Promise.resolve(handler(new Request(url, { headers })));
}

beforeAll(async () => {
  fake.resetFake();
  root = tempDir('electron-real');
  datasetDir = await syntheticDataset(root, 2, 3);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(datasetDir, 'escape.tif'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SEN12MS Studio</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app")');
  const starting = startDesktop({
    rendererDir: renderer,
    preload: '/p.cjs',
    dataset: datasetDir,
    createService: async () =>
      (service = await createStudioService({
        dataDir: join(root, 'data'),
        mode: 'desktop',
        createJobProcess: () => {
          throw new Error('this test starts no job');
        },
        sampleCacheDir: join(root, 'cache'),
      })),
  });
  fake.app.becomeReady();
  await starting;
  contents = fake.BrowserWindow.created[0].webContents;
  // The start opens --dataset in the background; the window sees it once indexed.
  await vi.waitFor(
    async () => {
      const list = (await call(0, 'datasets.list', {})).result as DatasetInfo[];
      expect(list).toHaveLength(1);
      dataset = list[0];
    },
    { timeout: 60_000, interval: 100 },
  );
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the desktop shell over the real service', () => {
  it('opened the data set named at start; the window queries it over IPC', async () => {
    const expected = s2Patches(datasetDir);
    expect(dataset.dir).toBe(datasetDir);
    expect(dataset.triplets).toBe(expected.length);
    const reply = await call(1, 'catalog.query', { dataset: dataset.id, query: { page: { offset: 0, limit: 100 } } });
    const page = reply.result as { total: number; patches: PatchSummary[] };
    expect(page.total).toBe(expected.length);
    expect(page.patches.map((p) => p.id).sort()).toEqual(expected.map((p) => `${p.roi}_${p.scene}_p${p.patch}`).sort());
    expect(await call(2, 'catalog.query', { dataset: dataset.id, query: { page: 3 } })).toMatchObject({ error: { code: 'invalid-params' } });
  });

  it('serves a data set file whole and by range, readable from the app origin', async () => {
    const p = s2Patches(datasetDir)[0];
    const rel = `${p.roi}/s2_${p.scene}/${p.roi}_s2_${p.scene}_p${p.patch}.tif`;
    const bytes = readFileSync(join(datasetDir, rel));
    const whole = await fetchScheme('studio-file', `studio-file://${dataset.id}/${rel}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/tiff');
    expect(whole.headers.get('access-control-allow-origin')).toBe('studio://app');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const head = await fetchScheme('studio-file', `studio-file://${dataset.id}/${rel}`, { range: 'bytes=0-7' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-7/${bytes.length}`);
    expect(Buffer.from(await head.arrayBuffer()).equals(bytes.subarray(0, 8))).toBe(true);
  });

  it('refuses paths out of the data set: encoded separators 403, an unlisted symlink out, folded dots and unknown ids 404', async () => {
    const cases: [string, number][] = [
      [`studio-file://${dataset.id}/..%2Fsecret.txt`, 403],
      [`studio-file://${dataset.id}/..%2F..%2F..%2Fetc%2Fpasswd`, 403],
      [`studio-file://${dataset.id}/%2Fetc%2Fpasswd`, 403],
      // a symlink out that the catalog does not list: not one of the data set's rasters
      [`studio-file://${dataset.id}/escape.tif`, 404],
      // URL parsing folds these to /secret.txt inside the data set, where there is none
      [`studio-file://${dataset.id}/../secret.txt`, 404],
      [`studio-file://${dataset.id}/%2e%2e/secret.txt`, 404],
      [`studio-file://000000000000/secret.txt`, 404],
      [`studio-file://${dataset.id}/`, 404],
    ];
    for (const [url, status] of cases) {
      const res = await fetchScheme('studio-file', url);
      const text = await res.text();
      expect(res.status, url).toBe(status);
      expect(text, url).not.toContain(SECRET);
      expect(JSON.parse(text).error.code, url).toBe(status === 403 ? 'forbidden' : 'not-found');
    }
  });

  it('serves the renderer with the desktop CSP on every response, errors included', async () => {
    const index = await fetchScheme('studio', 'studio://app/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>SEN12MS Studio</title>');
    const script = await fetchScheme('studio', 'studio://app/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const route = await fetchScheme('studio', 'studio://app/results/by-region');
    expect(await route.text()).toContain('<title>SEN12MS Studio</title>');
    const missing = await fetchScheme('studio', 'studio://app/assets/missing.js');
    const otherHost = await fetchScheme('studio', 'studio://elsewhere/index.html');
    const escape = await fetchScheme('studio', 'studio://app/..%2F..%2Fsecret.txt');
    expect([missing.status, otherHost.status, escape.status]).toEqual([404, 404, 403]);
    for (const res of [index, script, route, missing, otherHost, escape]) {
      expect(res.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('the desktop CSP', () => {
  /** directive name -> its sources */
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it("is server mode's policy with the socket swapped for the file scheme", () => {
    const server = directives(htmlCsp('127.0.0.1:8765'));
    const desktop = directives(DESKTOP_CSP);
    expect([...desktop.keys()].sort()).toEqual([...server.keys()].sort());
    for (const [name, sources] of server) {
      const expected = sources.filter((s) => !s.startsWith('ws:') && !s.startsWith('wss:'));
      const added = desktop.get(name)!.filter((s) => !expected.includes(s));
      expect(desktop.get(name)!.filter((s) => expected.includes(s)), name).toEqual(expected);
      expect(added, name).toEqual(name === 'connect-src' || name === 'img-src' ? ['studio-file:'] : []);
    }
  });
});
