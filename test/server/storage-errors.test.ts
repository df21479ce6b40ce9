/** Storage failures reach clients as a 507 'storage' error naming the cause, on both transports (issue 12). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../core/server/server.js';
import type { ServiceHost } from '../../core/service/service-host.js';
import { callHttp, openSocket } from './client.js';

let root: string;
let server: RunningServer;
const failures: Record<string, string> = { 'app.info': 'SQLITE_FULL', 'datasets.list': 'SQLITE_IOERR_WRITE', 'jobs.list': 'ENOSPC', 'settings.get': 'EIO' };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sen12ms-storage-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  const host: ServiceHost = {
    async call(method) {
      throw Object.assign(new Error(failures[method] === 'SQLITE_FULL' ? 'database or disk is full' : 'write failed'), { code: failures[method] });
    },
    onEvent: () => () => undefined,
    resolveFile: () => Promise.reject(new Error('no files')),
    exportedFolder: () => Promise.reject(new Error('no exports')),
  };
  server = await startServer(host, { rendererDir: join(root, 'renderer') });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('storage failures', () => {
  it('are 507 storage over HTTP and storage errors over the socket, naming the code', async () => {
    for (const [method, code] of Object.entries(failures)) {
      const r = await callHttp(server.port, server.token, method);
      expect(r.status, method).toBe(507);
      expect(r.json().error.code).toBe('storage');
      expect(r.json().error.message).toContain(code);
    }
    const s = await openSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`);
    expect(await s.call(1, 'app.info')).toMatchObject({ type: 'error', id: 1, error: { code: 'storage', message: 'storage failure (SQLITE_FULL): database or disk is full' } });
    s.ws.close();
  });
});
