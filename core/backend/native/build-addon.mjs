// Builds the native kernels with node-gyp during `npm install` (the `prepare` script). A machine
// without a C++ toolchain still installs: training then runs on the wasm kernels alone, and
// `sen12ms-studio doctor` says why. Plain JS because it runs before TypeScript is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function nodeGyp() {
  // npm hands its bundled node-gyp to lifecycle scripts; outside npm, look next to npm itself.
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  if (process.env.npm_execpath) {
    const bundled = join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(bundled)) return bundled;
  }
  return undefined;
}

const gyp = nodeGyp();
const result = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild', '--directory', here, '--loglevel', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  : undefined;
if (result?.status === 0) {
  process.stdout.write('native kernels built: core/backend/native/build/Release/sen12ms_kernels.node\n');
} else {
  const why = !gyp ? 'node-gyp not found (run through npm)' : (result.error?.message ?? result.stderr.trim().split('\n').slice(-3).join(' | '));
  process.stderr.write(`native kernels not built (${why}); training will use the slower wasm kernels only\n`);
  if (process.env.SEN12MS_REQUIRE_NATIVE === '1') process.exit(1);
}
