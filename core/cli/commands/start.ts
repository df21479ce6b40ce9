/**
 * `sen12ms-studio start` (`npm start`): the desktop app on the embedded sample or --dataset.
 * Where the Electron binary is not installed (electron 45 downloads it on first use, which an
 * offline or CI machine cannot), it says so in one line with the fix and runs server mode
 * instead, exactly as `serve` does. The binary is looked for by hand: requiring 'electron' would
 * start that download.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { packageFile } from '../../util/package-root.js';
import { parseCommandLine, UsageError } from '../args.js';
import { run as serve } from './serve.js';

export const summary =
  'Open the desktop app (Electron) on the embedded sample or --dataset; where Electron is not installed, or with ' +
  '--server, serve the app to a browser instead (as `serve`, printing its URL).';
export const usage = 'sen12ms-studio start [--dataset <dir>] [--data-dir <dir>] [--server [--port N] [--host H] [--token T]]';

export const INSTALL_ELECTRON = 'npx install-electron';

/** Where the shell's compiled main module is once `npm run build` has run. */
export const DESKTOP_MAIN = packageFile('dist', 'electron', 'main.js');

export type ElectronLookup = { executable: string } | { missing: string };

/**
 * The Electron executable as node_modules/electron/index.js would find it (path.txt names it
 * inside dist/, ELECTRON_OVERRIDE_DIST_PATH replaces dist/), or why there is none.
 */
export function findElectron(env: NodeJS.ProcessEnv = process.env): ElectronLookup {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  let executable: string;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) executable = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
  else if (relative === undefined) return { missing: `${pathFile} is absent: the binary was never downloaded` };
  else executable = join(pkgDir, 'dist', relative);
  return existsSync(executable) ? { executable } : { missing: `${executable} does not exist` };
}

function runDesktop(executable: string, args: string[]): Promise<number> {
  // Set in the environment, it would make Electron behave as plain Node and ignore the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(executable, [DESKTOP_MAIN, ...args], { stdio: 'inherit', env });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    server: { type: 'boolean' },
    dataset: { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const shared = [
    ...(values.dataset === undefined ? [] : ['--dataset', resolve(values.dataset)]),
    ...(values['data-dir'] === undefined ? [] : ['--data-dir', resolve(values['data-dir'])]),
  ];
  const serverOnly = [
    ...(values.port === undefined ? [] : ['--port', values.port]),
    ...(values.host === undefined ? [] : ['--host', values.host]),
    ...(values.token === undefined ? [] : ['--token', values.token]),
  ];
  if (values.server) return serve([...shared, ...serverOnly]);

  const electron = findElectron();
  if ('missing' in electron) {
    process.stderr.write(`Electron binary not installed (${electron.missing}); starting server mode instead. To get the desktop app: ${INSTALL_ELECTRON}\n`);
  } else if (!existsSync(DESKTOP_MAIN)) {
    process.stderr.write(`Desktop shell not built (${DESKTOP_MAIN} is missing); starting server mode instead. To get the desktop app: npm run build\n`);
  } else {
    if (serverOnly.length > 0) throw new UsageError('--port, --host and --token are for server mode: add --server');
    return runDesktop(electron.executable, shared);
  }
  return serve([...shared, ...serverOnly]);
}
