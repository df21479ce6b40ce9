/**
 * `sen12ms-studio serve`: the app for a browser, e.g. on a headless GPU server reached over SSH.
 * Like Jupyter it prints a URL with a random token and listens on loopback unless told otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { forkJobProcess } from '../../jobs/job-process.js';
import { tokenProblem } from '../../server/auth.js';
import { isLoopbackHost } from '../../server/host-check.js';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server.js';
import type { DatasetInfo } from '../../common/api/contract.js';
import type { ServiceHost } from '../../service/service-host.js';
import { createStudioService } from '../../service/service.js';
import { openStartDataset } from '../../service/start-dataset.js';
import { userDataDir } from '../../util/cache-dir.js';
import { packageFile } from '../../util/package-root.js';
import { intOption, parseCommandLine, UsageError } from '../args.js';

/** The environment variable a token may come from, so it need not appear in the process list. */
export const TOKEN_ENV = 'SEN12MS_STUDIO_TOKEN';

export const summary =
  'Serve the app to a browser: the renderer, the API (HTTP and WebSocket) and the files of opened data sets, ' +
  'behind a token printed in the URL. Without --dataset it reopens the data set opened last, else the embedded sample. Runs until Ctrl-C.';
export const usage =
  'sen12ms-studio serve [--dataset <dir>] [--port N] [--host 127.0.0.1] [--token T | --token-file F] [--data-dir D] [--exports-dir E] [--renderer <dir>]\n' +
  '  export jobs write under <data-dir>/exports or --exports-dir, nowhere else\n' +
  `  the token: --token, else --token-file (its first line), else $${TOKEN_ENV}, else a random one`;

/** The chosen token, if any: --token, --token-file (first line, trimmed), or $SEN12MS_STUDIO_TOKEN. */
export function chosenToken(values: { token?: string; 'token-file'?: string }, env: NodeJS.ProcessEnv): { token?: string; from: string } {
  if (values.token !== undefined && values['token-file'] !== undefined) throw new UsageError('give --token or --token-file, not both');
  if (values.token !== undefined) return { token: values.token, from: '--token' };
  if (values['token-file'] !== undefined) {
    let text: string;
    try {
      text = readFileSync(values['token-file'], 'utf8');
    } catch (err) {
      throw new UsageError(`--token-file ${values['token-file']}: ${(err as Error).message}`);
    }
    return { token: text.split(/\r?\n/)[0].trim(), from: '--token-file' };
  }
  const fromEnv = env[TOKEN_ENV];
  return fromEnv === undefined || fromEnv === '' ? { from: 'random' } : { token: fromEnv, from: `$${TOKEN_ENV}` };
}

/** A fixed default so an SSH tunnel can be set up once; a busy port falls back to any free one. */
export const DEFAULT_PORT = 8765;

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      done(signal);
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
}

async function listen(host: ServiceHost, opts: ServerOptions, portGiven: boolean): Promise<RunningServer> {
  try {
    return await startServer(host, opts);
  } catch (err) {
    if (portGiven || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    process.stderr.write(`port ${opts.port} is in use; serving on another one\n`);
    return startServer(host, { ...opts, port: 0 });
  }
}

function describeDataset(info: DatasetInfo): string {
  return `data set: ${info.dir} (${info.triplets} triplets${info.sample ? ', the embedded sample' : ''})`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    dataset: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'token-file': { type: 'string' },
    'data-dir': { type: 'string' },
    'exports-dir': { type: 'string' },
    renderer: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const port = intOption(values.port, 'port', DEFAULT_PORT);
  if (port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535 (0: any free port), got ${port}`);
  const chosen = chosenToken(values, process.env);
  const problem = chosen.token === undefined ? null : tokenProblem(chosen.token);
  if (problem) throw new UsageError(`the token from ${chosen.from} ${problem}`);
  if (values.host === '') throw new UsageError('--host must not be empty');
  const host = values.host ?? '127.0.0.1';
  const rendererDir = values.renderer ? resolve(values.renderer) : packageFile('dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir} (index.html missing): run \`npm run build\` first`);
  }

  const service = await createStudioService({
    dataDir: resolve(values['data-dir'] ?? userDataDir()),
    mode: 'server',
    createJobProcess: forkJobProcess,
    // Export jobs write under <data-dir>/exports, or under this folder (the API refuses any other).
    ...(values['exports-dir'] ? { exportRoots: [resolve(values['exports-dir'])] } : {}),
  });
  try {
    const info = await openStartDataset(service, values.dataset === undefined ? undefined : resolve(values.dataset), (message) =>
      process.stderr.write(`warning: ${message}\n`),
    );
    const server = await listen(service, { port, host, token: chosen.token, rendererDir }, values.port !== undefined);
    if (!isLoopbackHost(host)) {
      process.stderr.write(`warning: listening on ${host}, reachable from other machines; anyone with the URL has full access\n`);
    }
    process.stdout.write(`SEN12MS Studio is serving ${server.url}\n${describeDataset(info)}\n`);
    await untilSignal();
    await server.close();
  } finally {
    await service.close();
  }
  return 0;
}
