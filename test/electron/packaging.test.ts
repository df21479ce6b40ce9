/**
 * What can be checked of packaging without Electron's binary (electron-builder downloads it, and
 * this machine is offline): electron-builder's own loader and schema accept the config, the
 * files it packs and unpacks exist, and the icon is the one build/make-icon.ts draws.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawIcon, ICON_SIZE } from '../../build/make-icon.js';
import { DESKTOP_MAIN } from '../../core/cli/commands/start.js';
import { packageFile, packageRoot } from '../../core/util/package-root.js';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  files: { filter: string[] }[] | string[];
  asarUnpack: string[];
  extraMetadata: { main: string };
  directories: { buildResources: string; output: string };
  linux: { target: string[]; icon: string; maintainer?: string };
  win: { target: string[] };
  mac: { target: string[] };
  electronFuses?: Record<string, boolean>;
}

/** electron-builder's own config loader and validator, where its library is installed. */
function builderLib(): { getConfig: (dir: string, path: null, extra: null) => Promise<BuilderConfig>; validate: (c: BuilderConfig) => Promise<void>; minimatch: (p: string, g: string, o: object) => boolean } | null {
  try {
    const config = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    // the matcher electron-builder itself matches `files` with
    const { minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))('minimatch');
    return { getConfig: config.getConfig, validate: (c) => config.validateConfiguration(c, new DebugLogger(false)), minimatch };
  } catch {
    return null;
  }
}

const lib = builderLib();
const built = existsSync(DESKTOP_MAIN);
const rendererBuilt = existsSync(packageFile('dist', 'renderer', 'index.html'));

/** What the packaged app cannot run without. */
const PACKED = ['package.json', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/core/jobs/job-worker.js', 'dist/core/cli/main.js', 'resources/splits/holdout-scenes.txt', 'dist/renderer/index.html'];

async function loadConfig(): Promise<BuilderConfig> {
  return lib!.getConfig(packageRoot(), null, null);
}

function filePatterns(config: BuilderConfig): string[] {
  return config.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
}

function packs(config: BuilderConfig, file: string): boolean {
  const patterns = filePatterns(config);
  const match = (p: string) => lib!.minimatch(file, p, { dot: true });
  return patterns.some((p) => !p.startsWith('!') && match(p)) && !patterns.some((p) => p.startsWith('!') && match(p.slice(1)));
}

describe.skipIf(!lib)('electron-builder config (skipped where app-builder-lib is not installed)', () => {
  it("passes electron-builder's own schema validation", async () => {
    const config = await loadConfig();
    await expect(lib!.validate(config)).resolves.toBeUndefined();
    await expect(lib!.validate({ ...config, bogus: 1 } as BuilderConfig)).rejects.toThrow(/unknown property 'bogus'/);
  });

  it('builds AppImage and deb, nsis, dmg into release/ from build/', async () => {
    const config = await loadConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.directories).toEqual({ buildResources: 'build', output: 'release' });
  });

  it("flips Electron's fuses: no run-as-Node, NODE_OPTIONS or --inspect; only the app's asar, integrity-checked", async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The desktop app must not need run-as-Node: its jobs start as utility processes.
    expect(readFileSync(packageFile('electron', 'utility-job-process.ts'), 'utf8')).toMatch(/utilityProcess\.fork\(/);
  });

  it('starts the packaged app at the main module `npm start` runs', async () => {
    const config = await loadConfig();
    expect(packageFile(config.extraMetadata.main)).toBe(DESKTOP_MAIN);
  });

  it('packs the shell, the worker entry, the renderer and resources, and no sources, tests or maps', async () => {
    const config = await loadConfig();
    for (const file of PACKED) expect(packs(config, file), file).toBe(true);
    for (const file of ['electron/main.ts', 'test/electron/desktop.test.ts', 'dist/bench/data.js', 'dist/electron/main.js.map', 'core/cli/main.ts', 'bin/sen12ms-studio.js']) {
      expect(packs(config, file), file).toBe(false);
    }
  });

  it.skipIf(!built || !rendererBuilt)('finds every packed file on disk (skipped until `npm run build` has built the shell and the renderer)', () => {
    for (const file of PACKED) expect(existsSync(packageFile(file)), file).toBe(true);
  });

  it('unpacks native modules and wasm binaries that are installed, from the asar', async () => {
    const config = await loadConfig();
    const installed = [
      relative(packageRoot(), join(require.resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node')),
      relative(packageRoot(), join(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'), '..', 'dist', 'tfjs-backend-wasm-simd.wasm')),
    ];
    for (const file of installed) {
      expect(existsSync(packageFile(file)), file).toBe(true);
      expect(config.asarUnpack.some((p) => lib!.minimatch(file, p, { dot: true })), file).toBe(true);
    }
  });

  it('gives the deb package the maintainer and homepage it refuses to build without', async () => {
    const config = await loadConfig();
    const manifest = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { homepage?: string };
    expect(config.linux.maintainer).toBeTruthy();
    expect(manifest.homepage ?? '(none)', 'package.json needs "homepage" for the deb target').toMatch(/^https?:\/\//);
  });
});

describe('the app icon', () => {
  it('is the PNG build/make-icon.ts draws, at least 512x512 as macOS requires', () => {
    const png = readFileSync(packageFile('build', 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([ICON_SIZE, ICON_SIZE]);
    expect(ICON_SIZE).toBeGreaterThanOrEqual(512);
    expect(Buffer.from(drawIcon()).equals(png)).toBe(true);
  });
});
