import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from './client.js';
import { FAKE_DATASET, startFixture, TIF_BYTES, type ServerFixture } from './fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  raw(fx.port, { path, headers: { authorization: `Token ${fx.token}`, ...headers } });

describe('the renderer', () => {
  it('serves index.html at / with the strict CSP naming the socket of the Host asked for', async () => {
    const r = await get('/', { host: `localhost:${fx.port}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<title>studio</title>');
    const csp = r.headers['content-security-policy']!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://localhost:${fx.port} wss://localhost:${fx.port}`);
    expect(csp).toContain("img-src 'self' data: blob: https://tile.openstreetmap.org");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toMatch(/unsafe/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('falls back to index.html for app routes, but not for missing files, /api or /files', async () => {
    for (const path of ['/patches/ROIs1158_spring_1_p30', '/results/', '/assets']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).toContain('<title>studio</title>');
    }
    for (const path of ['/assets/missing.js', '/favicon.ico']) expect((await get(path)).status, path).toBe(404);
    const api = await raw(fx.port, { method: 'POST', path: '/api/deep/path', headers: { authorization: `Token ${fx.token}` } });
    expect(api.json().error.code).toBe('unknown-method');
    const files = await get(`/files/${FAKE_DATASET}`);
    expect([files.status, files.json().error.code]).toEqual([404, 'not-found']);
  });

  it('serves assets with their type, the inert CSP and nosniff', async () => {
    const r = await get('/assets/app.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.text).toBe('console.log("app")');
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('data set files', () => {
  const TIF = `/files/${FAKE_DATASET}/ROIs1158_spring/s2_1/ROIs1158_spring_s2_1_p30.tif`;

  it('streams the whole file as image/tiff, and HEAD gives its length without a body', async () => {
    const r = await get(TIF);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/tiff');
    expect(r.body.equals(TIF_BYTES)).toBe(true);
    const head = await raw(fx.port, { method: 'HEAD', path: TIF, headers: { authorization: `Token ${fx.token}` } });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(TIF_BYTES.length);
    expect(head.body.length).toBe(0);
  });

  it.each([
    ['bytes=10-19', 10, 20],
    ['bytes=290-', 290, 300],
    ['bytes=-5', 295, 300],
    ['bytes=250-999', 250, 300],
  ])('answers Range %s with 206 and those bytes', async (range, start, end) => {
    const r = await get(TIF, { range });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes ${start}-${end - 1}/${TIF_BYTES.length}`);
    expect(r.body.equals(TIF_BYTES.subarray(start, end))).toBe(true);
  });

  it('refuses an unsatisfiable range with 416, and sends it all for a multi-range', async () => {
    const r = await get(TIF, { range: 'bytes=300-' });
    expect(r.status).toBe(416);
    expect(r.headers['content-range']).toBe(`bytes */${TIF_BYTES.length}`);
    const multi = await get(TIF, { range: 'bytes=0-1,5-6' });
    expect(multi.status).toBe(200);
    expect(multi.body.length).toBe(TIF_BYTES.length);
  });
});
