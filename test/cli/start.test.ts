/**
 * `sen12ms-studio start`: the desktop app where the Electron binary is installed, else one line
 * saying so and server mode. ELECTRON_OVERRIDE_DIST_PATH (honoured like electron's own
 * index.js) points the lookup at an empty folder, so these tests behave the same on machines
 * that have the binary, or at a FAKE electron executable (a shell script that records how it
 * was started; not Electron).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DESKTOP_MAIN, findElectron, INSTALL_ELECTRON } from '../../core/cli/commands/start.js';
import { packageFile } from '../../core/util/package-root.js';
import { tempDir } from '../catalog/fixture.js';
import { runCli } from './capture.js';

const CLI = fileURLToPath(new URL('../training/ref/run-cli.ts', import.meta.url));
const root = tempDir('start');
const noElectron = join(root, 'no-electron');
mkdirSync(noElectron);
const rendererBuilt = existsSync(packageFile('dist', 'renderer', 'index.html'));
const posix = process.platform !== 'win32';

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A FAKE electron executable: writes its arguments and one environment variable, exits 7. */
function fakeElectron(): { dir: string; record: string } {
  const dir = join(root, 'fake-electron');
  const record = join(root, 'electron-args.json');
  mkdirSync(dir, { recursive: true });
  const script = `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nprintf 'run-as-node=%s\\n' "$ELECTRON_RUN_AS_NODE" >> '${record}'\nexit 7\n`;
  writeFileSync(join(dir, 'electron'), script);
  chmodSync(join(dir, 'electron'), 0o755);
  return { dir, record };
}

/** Starts the CLI, resolves once it printed the URL, with what it wrote to stderr so far. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', ...args], {
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: noElectron, SEN12MS_STUDIO_CACHE: join(root, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const url = /is serving (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ child, url, stderr });
    });
    child.once('exit', (code) => reject(new Error(`start exited with ${code} before serving:\n${stderr}`)));
  });
}

async function appInfo(url: string): Promise<{ mode: string }> {
  const u = new URL(url);
  const res = await fetch(new URL('/api/app.info', u), {
    method: 'POST',
    headers: { authorization: `Token ${new URLSearchParams(u.hash.slice(1)).get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ params: {} }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { mode: string } }).result;
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('finding the Electron binary without downloading it', () => {
  it('reports a missing executable with its path', () => {
    const found = findElectron({ ELECTRON_OVERRIDE_DIST_PATH: noElectron });
    expect(found).toEqual({ missing: `${join(noElectron, 'electron')} does not exist` });
  });

  it.skipIf(!posix)('finds an executable where electron would look (skipped on Windows: the fake is a shell script)', () => {
    const { dir } = fakeElectron();
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toEqual({ executable: join(dir, 'electron') });
  });
});

describe.skipIf(!rendererBuilt)('sen12ms-studio start without Electron (skipped until `npm run build` has built the renderer)', () => {
  it('says so in one line with the fix, then serves the app on the embedded sample', async () => {
    const { child, url, stderr } = await startCli(['--port', '0', '--data-dir', join(root, 'data')]);
    try {
      expect(stderr.trimEnd().split('\n')).toEqual([
        `Electron binary not installed (${join(noElectron, 'electron')} does not exist); starting server mode instead. To get the desktop app: ${INSTALL_ELECTRON}`,
      ]);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
      expect(await appInfo(url)).toMatchObject({ mode: 'server' });
    } finally {
      expect(await stopped(child)).toBe(0);
    }
  });

  it('serves at once with --server, without the Electron line', async () => {
    const { child, url, stderr } = await startCli(['--server', '--port', '0', '--data-dir', join(root, 'data')]);
    try {
      expect(stderr).not.toContain('Electron');
      expect(await appInfo(url)).toMatchObject({ mode: 'server' });
    } finally {
      await stopped(child);
    }
  });
});

describe.skipIf(!posix || !existsSync(DESKTOP_MAIN))('sen12ms-studio start with an Electron binary (skipped until `npm run build` has built the shell)', () => {
  it('runs it on the shell with the data set and data folder, and exits with its code', async () => {
    const { dir, record } = fakeElectron();
    const saved = { override: process.env.ELECTRON_OVERRIDE_DIST_PATH, runAsNode: process.env.ELECTRON_RUN_AS_NODE };
    process.env.ELECTRON_OVERRIDE_DIST_PATH = dir;
    process.env.ELECTRON_RUN_AS_NODE = '1';
    try {
      const r = await runCli(['start', '--dataset', 'rel/data', '--data-dir', '/tmp/studio-data']);
      expect(r.code).toBe(7);
      expect(r.stderr).toBe('');
    } finally {
      for (const [key, value] of [['ELECTRON_OVERRIDE_DIST_PATH', saved.override], ['ELECTRON_RUN_AS_NODE', saved.runAsNode]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(readFileSync(record, 'utf8').trimEnd().split('\n')).toEqual([
      DESKTOP_MAIN,
      '--dataset',
      join(process.cwd(), 'rel/data'),
      '--data-dir',
      '/tmp/studio-data',
      'run-as-node=',
    ]);
  });

  it('refuses server-only options for the desktop app', async () => {
    const { dir } = fakeElectron();
    const saved = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    process.env.ELECTRON_OVERRIDE_DIST_PATH = dir;
    try {
      const r = await runCli(['start', '--port', '9000']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--port, --host and --token are for server mode');
    } finally {
      if (saved === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
      else process.env.ELECTRON_OVERRIDE_DIST_PATH = saved;
    }
  });
});
