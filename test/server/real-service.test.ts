/**
 * The transport over the real service (no FAKE here) on a small synthetic data set: a data set
 * opened over the socket, queried over HTTP, its files streamed, and the service's own
 * confinement (symlinks included) seen through /files. No job starts.
 */
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../core/server/server.js';
import type { DatasetInfo } from '../../core/common/api/contract.js';
import type { StudioService } from '../../core/service/service.js';
import { s2Patches, syntheticDataset, tempDir } from '../catalog/fixture.js';
import { callHttp, openSocket, raw } from './client.js';
import { startRealService } from './fixture.js';

let root: string;
let datasetDir: string;
let service: StudioService;
let server: RunningServer;

beforeAll(async () => {
  root = tempDir('server-real');
  datasetDir = await syntheticDataset(root, 2, 3);
  writeFileSync(join(root, 'secret.txt'), 'SECRET-CONTENTS-7f3a');
  symlinkSync(join(root, 'secret.txt'), join(datasetDir, 'escape.tif'));
  ({ service, server } = await startRealService(root));
}, 120_000);

afterAll(async () => {
  await server.close();
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

describe('server mode over the real service', () => {
  it('opens a data set over the socket, queries it over HTTP and streams its files, confined', async () => {
    const s = await openSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`);
    const opened = await s.call(1, 'datasets.open', { dir: datasetDir });
    expect(opened.type).toBe('result');
    const info = (opened as { result: DatasetInfo }).result;
    const expected = s2Patches(datasetDir);
    expect(info.triplets).toBe(expected.length);
    expect(await s.call(2, 'catalog.query', { dataset: info.id, query: { page: 3 } })).toMatchObject({
      type: 'error',
      id: 2,
      error: { code: 'invalid-params' },
    });
    s.ws.close();

    const page = await callHttp(server.port, server.token, 'catalog.query', { dataset: info.id, query: { page: { offset: 0, limit: 100 } } });
    expect(page.status).toBe(200);
    expect(page.json().result.total).toBe(expected.length);
    const first = expected[0];
    expect(page.json().result.patches[0].id).toBe(`${first.roi}_${first.scene}_p${first.patch}`);

    const rel = `${first.roi}/s2_${first.scene}/${first.roi}_s2_${first.scene}_p${first.patch}.tif`;
    const file = await raw(server.port, { path: `/files/${info.id}/${rel}`, headers: { authorization: `Token ${server.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/tiff');
    expect(file.body.equals(readFileSync(join(datasetDir, rel)))).toBe(true);

    for (const path of [`/files/${info.id}/escape.tif`, `/files/${info.id}/${first.roi}/..%2F..%2Fsecret.txt`, `/files/unknown/${rel}`]) {
      const r = await raw(server.port, { path, headers: { authorization: `Token ${server.token}` } });
      expect([403, 404], path).toContain(r.status);
      expect(r.text).not.toContain('SECRET-CONTENTS-7f3a');
    }
    const symlink = await raw(server.port, { path: `/files/${info.id}/escape.tif`, headers: { authorization: `Token ${server.token}` } });
    expect(symlink.json().error.code).toBe('not-found'); // not a raster the catalog lists
    expect((await callHttp(server.port, server.token, 'app.info')).json().result.mode).toBe('server');
  });

  it("refuses the audit's paths: /etc as a data set, files the catalog does not list, links out, `..`, absolute paths", async () => {
    const opened = await callHttp(server.port, server.token, 'datasets.open', { dir: '/etc' });
    expect(opened.status).toBe(400);
    expect(opened.json().error).toMatchObject({ code: 'invalid-params', message: expect.stringContaining('/etc holds no SEN12MS scenes') });
    const info = (await callHttp(server.port, server.token, 'datasets.open', { dir: datasetDir })).json().result as DatasetInfo;
    writeFileSync(join(datasetDir, 'passwd'), 'SECRET-CONTENTS-7f3a');
    const first = s2Patches(datasetDir)[0];
    const scene = `${first.roi}/s2_${first.scene}`;
    const linked = `${scene}/${first.roi}_s2_${first.scene}_p${first.patch}.tif`;
    // A catalogued patch replaced by a link to a file outside: refused after resolving it.
    rmSync(join(datasetDir, linked));
    symlinkSync(join(root, 'secret.txt'), join(datasetDir, linked));
    const refused: [string, number][] = [
      [`/files/${info.id}/passwd`, 404],
      [`/files/${info.id}/${scene}/..%2F..%2Fpasswd`, 403],
      [`/files/${info.id}/%2Fetc%2Fpasswd`, 403],
      [`/files/${info.id}/catalog.sqlite`, 404],
      [`/files/${info.id}/${linked}`, 403],
    ];
    for (const [path, status] of refused) {
      const r = await raw(server.port, { path, headers: { authorization: `Token ${server.token}` } });
      expect(r.status, path).toBe(status);
      expect(r.text, path).not.toContain('SECRET-CONTENTS-7f3a');
    }
  });
});
