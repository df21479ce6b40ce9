import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { chosenToken, DEFAULT_PORT, TOKEN_ENV } from '../../../core/cli/commands/serve.js';
import { SAMPLE_SPEC } from '../../../core/synth/sample.js';
import { userDataDir } from '../../../core/util/cache-dir.js';
import { tempDir } from '../../catalog/fixture.js';
import { runCli } from '../capture.js';

const CLI = fileURLToPath(new URL('../../training/ref/run-cli.ts', import.meta.url));
const root = tempDir('serve');
const renderer = join(root, 'renderer');
mkdirSync(renderer);
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>served</title>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sen12ms-studio serve', () => {
  it('serves the embedded sample behind the token it prints (another port when the default is busy), and exits 0 on SIGTERM', async () => {
    // Hold the default port (unless something else already does) so the fallback is taken.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.once('error', () => resolve()).listen(DEFAULT_PORT, '127.0.0.1', resolve));
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--data-dir', join(root, 'data'), '--renderer', renderer], {
      env: { ...process.env, SEN12MS_STUDIO_CACHE: join(root, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += String(c);
        const m = /^SEN12MS Studio is serving (\S+)$/m.exec(stdout);
        if (m && /^data set: /m.test(stdout)) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited ${code} before printing its URL: ${stderr}`)));
    });
    const { origin, hash } = new URL(url);
    const token = new URLSearchParams(hash.slice(1)).get('token')!;
    // In the fragment, which a browser never sends: no request, log or Referer carries it.
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
    expect(new URL(url).port).not.toBe(String(DEFAULT_PORT));
    expect(stderr).toContain(`port ${DEFAULT_PORT} is in use`);
    const triplets = SAMPLE_SPEC.scenes * SAMPLE_SPEC.patchesPerScene;
    expect(stdout).toMatch(new RegExp(`^data set: .*\\(${triplets} triplets, the embedded sample\\)$`, 'm'));

    const info = await fetch(`${origin}/api/app.info`, { method: 'POST', headers: { authorization: `Token ${token}` }, body: '{}' });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { result: { mode: string; dataDir: string } }).result).toMatchObject({ mode: 'server', dataDir: join(root, 'data') });
    expect((await fetch(`${origin}/api/app.info`, { method: 'POST', body: '{}' })).status).toBe(401);
    const page = await fetch(url);
    expect(await page.text()).toContain('<title>served</title>');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    holder.close();
  }, 120_000);

  it('says to build the renderer when it is missing, and refuses bad options', async () => {
    const missing = await runCli(['serve', '--renderer', join(root, 'nowhere'), '--data-dir', join(root, 'data2')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('npm run build');
    const tokenFile = join(root, 'token.txt');
    writeFileSync(tokenFile, 'short\n');
    for (const argv of [
      ['--port', '70000'],
      ['--port', 'x'],
      ['--token', 'short'],
      ['--token-file', tokenFile],
      ['--token-file', join(root, 'no-such-file')],
      ['--token', 'long-enough-token-0123', '--token-file', tokenFile],
      ['--host', ''],
      ['extra'],
    ]) {
      const r = await runCli(['serve', ...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toContain('usage: sen12ms-studio serve');
    }
  });
});

describe('the chosen token', () => {
  it('comes from --token, else --token-file (first line), else $SEN12MS_STUDIO_TOKEN, else none (random)', () => {
    const file = join(root, 'token-file.txt');
    writeFileSync(file, '  from-the-file-0123456789  \nsecond line\n');
    const env = { [TOKEN_ENV]: 'from-the-environment-0123' };
    expect(chosenToken({ token: 'from-argv-0123456789' }, env)).toEqual({ token: 'from-argv-0123456789', from: '--token' });
    expect(chosenToken({ 'token-file': file }, env)).toEqual({ token: 'from-the-file-0123456789', from: '--token-file' });
    expect(chosenToken({}, env)).toEqual({ token: 'from-the-environment-0123', from: `$${TOKEN_ENV}` });
    expect(chosenToken({}, { [TOKEN_ENV]: '' })).toEqual({ from: 'random' });
    expect(chosenToken({}, {})).toEqual({ from: 'random' });
  });
});

describe('userDataDir', () => {
  it('prefers $SEN12MS_STUDIO_DATA, then $XDG_DATA_HOME, then ~/.local/share; empty counts as unset', () => {
    expect(userDataDir({ SEN12MS_STUDIO_DATA: '/a', XDG_DATA_HOME: '/b' })).toBe('/a');
    expect(userDataDir({ SEN12MS_STUDIO_DATA: '', XDG_DATA_HOME: '/b' })).toBe(join('/b', 'sen12ms-studio'));
    expect(userDataDir({ HOME: '/h' }).endsWith(join('.local', 'share', 'sen12ms-studio'))).toBe(true);
  });
});
