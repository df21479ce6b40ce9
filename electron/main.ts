/**
 * Entry of the Electron main process (dist/electron/main.js): `electron dist/electron/main.js
 * [--dataset <dir>] [--data-dir <dir>]`, as `npm start` runs it, or the packaged app.
 */
import { app } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStudioService } from '../core/service/service.js';
import { userDataDir } from '../core/util/cache-dir.js';
import { packageFile } from '../core/util/package-root.js';
import { startDesktop } from './desktop.js';
import { createUtilityJobProcess } from './utility-job-process.js';

// Chromium adds switches of its own to the command line, hence not strict; a packaged app has no
// script argument before the user's.
const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { dataset: { type: 'string' }, 'data-dir': { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const option = (value: string | boolean | undefined) => (typeof value === 'string' ? path.resolve(value) : undefined);

startDesktop({
  rendererDir: packageFile('dist', 'renderer'),
  preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
  dataset: option(values.dataset),
  // The same folder as server mode, so runs and annotations are shared between the two.
  createService: () =>
    createStudioService({ dataDir: option(values['data-dir']) ?? userDataDir(), mode: 'desktop', createJobProcess: createUtilityJobProcess }),
}).catch((err: Error) => {
  process.stderr.write(`SEN12MS Studio could not start: ${err.stack ?? err.message}\n`);
  app.exit(1);
});
