/** A running server over the FAKE host, with a tiny renderer build and a data set folder. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../core/server/server.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { FAKE_DATASET, fakeHost, type FakeHost } from './fake-host.js';

export const SECRET = 'the contents of a file outside every data set';
export const TIF_BYTES = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251));
export { FAKE_DATASET };

export interface ServerFixture {
  server: RunningServer;
  host: FakeHost;
  port: number;
  token: string;
  root: string;
  stop(): Promise<void>;
}

export async function startFixture(opts: Partial<ServerOptions> = {}): Promise<ServerFixture> {
  const root = mkdtempSync(join(tmpdir(), 'sen12ms-server-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(renderer, 'leak.txt'));
  const dataset = join(root, 'dataset');
  mkdirSync(join(dataset, 'ROIs1158_spring', 's2_1'), { recursive: true });
  writeFileSync(join(dataset, 'ROIs1158_spring', 's2_1', 'ROIs1158_spring_s2_1_p30.tif'), TIF_BYTES);
  symlinkSync(join(root, 'secret.txt'), join(dataset, 'escape.tif'));
  const host = fakeHost(dataset);
  const server = await startServer(host, { rendererDir: renderer, ...opts });
  return {
    server,
    host,
    port: server.port,
    token: server.token,
    root,
    async stop() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The real service (no FAKE; no job may start) behind a real server, with its folders under `root`. */
export async function startRealService(root: string): Promise<{ service: StudioService; server: RunningServer }> {
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  const service = await createStudioService({
    dataDir: join(root, 'data'),
    mode: 'server',
    createJobProcess: () => {
      throw new Error('this test starts no job');
    },
    sampleCacheDir: join(root, 'cache'),
  });
  return { service, server: await startServer(service, { rendererDir: join(root, 'renderer') }) };
}
