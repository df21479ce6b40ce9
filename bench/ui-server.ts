/**
 * Starts `sen12ms-studio serve` from the built tree (as a user would run it) on a free port with
 * its own data and cache folders, and reads the URL it prints. Shared by the end-to-end tests and
 * bench/ui.ts (in bench/ so the compiled benchmark finds it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageFile, packageRoot } from '../core/util/package-root.js';

/** Found by walking up: this module runs from bench/ under the tests and from dist/bench/ compiled. */
export const REPO_ROOT = packageRoot();
const BIN = packageFile('bin', 'sen12ms-studio.js');
const BUILT = ['dist/core/cli/main.js', 'dist/core/jobs/job-worker.js', 'dist/renderer/index.html'];
const URL_LINE = /SEN12MS Studio is serving (\S+)/;

export interface StudioServer {
  /** The printed URL, with its #token=. */
  url: string;
  origin: string;
  token: string;
  /** Everything the server wrote so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

export interface ServeOptions {
  dataDir: string;
  cacheDir: string;
  /** A data set folder to open at start (`--dataset`). */
  dataset?: string;
  timeoutMs?: number;
}

/** The build outputs the server needs that are missing, as paths relative to the repository. */
export function missingBuild(): string[] {
  return BUILT.filter((p) => !existsSync(join(REPO_ROOT, p)));
}

export async function startStudioServer(opts: ServeOptions): Promise<StudioServer> {
  const missing = missingBuild();
  if (missing.length > 0) {
    throw new Error(`build the app first (npm run build, which also builds the renderer): missing ${missing.join(', ')}`);
  }
  const args = [BIN, 'serve', '--port', '0', '--data-dir', opts.dataDir, ...(opts.dataset ? ['--dataset', opts.dataset] : [])];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, SEN12MS_STUDIO_CACHE: opts.cacheDir, SEN12MS_STUDIO_DATA: opts.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no "SEN12MS Studio is serving" line within ${opts.timeoutMs ?? 60_000} ms`)), opts.timeoutMs ?? 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${err.message}\n--- server output ---\n${log}`));
    };
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = URL_LINE.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => fail(new Error(`the server exited (code ${code}, signal ${signal}) before printing its URL`)));
  });
  child.removeAllListeners('exit');
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? parsed.searchParams.get('token') ?? '',
    output: () => log,
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
