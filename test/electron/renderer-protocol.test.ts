import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DESKTOP_CSP } from '../../electron/csp.js';
import { rendererResponse } from '../../electron/renderer-protocol.js';

/** studio://app/ serves the built renderer and nothing a symlink in it points at outside. */
describe('studio://app/', () => {
  const root = mkdtempSync(join(tmpdir(), 'renderer-protocol-'));
  const dist = join(root, 'renderer');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(root, 'secret.txt'), 'outside the build');
  symlinkSync(join(root, 'secret.txt'), join(dist, 'assets', 'leak.js'));
  symlinkSync(root, join(dist, 'up'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const get = (path: string) => rendererResponse(new Request(`studio://app${path}`), dist);

  it('serves the build with the desktop CSP, and index.html for an unknown route', async () => {
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toBe('export {};');
    expect(js.headers.get('content-security-policy')).toBe(DESKTOP_CSP);
    for (const route of ['/', '/results']) expect(await (await get(route)).text()).toContain('<title>app</title>');
  });

  it('refuses a symlink that leads outside the build, file or folder', async () => {
    for (const path of ['/assets/leak.js', '/up/secret.txt']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('outside the build');
    }
  });
});
