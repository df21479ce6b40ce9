import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { configHash, validateRunConfig, type RunConfig, type RunConfigInput } from './run-config.js';
import { readJsonFile } from '../util/json-file.js';

/** The files of a run directory; other modules join these onto `Run.dir`. */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  log: 'log.txt',
  checkpoints: 'checkpoints',
} as const;

export interface Run {
  dir: string;
  config: RunConfig;
  configHash: string;
}

/**
 * Creates `<root>/<yyyymmdd-hhmmss>-<kind>-<8 hex>/` holding config.json, an empty metrics.jsonl
 * and log.txt, and checkpoints/. The directory is assembled under a hidden temporary name and
 * renamed into place, so a run directory either is complete or does not exist.
 */
export async function createRun(root: string, input: RunConfigInput, now = new Date()): Promise<Run> {
  const config = validateRunConfig(
    { format: 'sen12ms-studio.run-config', version: 1, createdAt: now.toISOString(), ...input },
    'run config',
  );
  await mkdir(root, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (;;) {
    const dir = join(root, `${stamp}-${config.kind}-${randomBytes(4).toString('hex')}`);
    if (await exists(dir)) continue;
    const temp = join(root, `.${basename(dir)}.creating`);
    try {
      await mkdir(join(temp, RUN_FILES.checkpoints), { recursive: true });
      await writeFileAtomic(join(temp, RUN_FILES.config), JSON.stringify(config, null, 2) + '\n');
      await writeFile(join(temp, RUN_FILES.metrics), '');
      await writeFile(join(temp, RUN_FILES.log), '');
      await rename(temp, dir);
    } catch (err) {
      await rm(temp, { recursive: true, force: true });
      throw err;
    }
    return { dir, config, configHash: configHash(config) };
  }
}

/** Opens an existing run directory, checking its config.json. */
export async function openRun(dir: string): Promise<Run> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new DatasetFileError(dir, 'not a run directory: it does not exist or is not a folder');
  const path = join(dir, RUN_FILES.config);
  const parsed = await readJsonFile(path);
  if (parsed === null) throw new DatasetFileError(path, `missing: ${dir} is not a run directory`);
  const config = validateRunConfig(parsed, path);
  return { dir, config, configHash: configHash(config) };
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
