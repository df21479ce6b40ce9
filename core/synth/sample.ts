/**
 * The embedded sample: a small synthetic SEN12MS data set generated on first use into the user's
 * cache (nothing large ships with the product). It is built in a temporary folder and renamed
 * into place, so a crash never leaves half a sample under the final name, and processes racing
 * to create it both end with the same complete folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userCacheDir } from '../util/cache-dir.js';
import { synthesize } from './synthesize.js';

/**
 * 48 scenes at 48 places, eight per inhabited continent, each continent in all four ROI sets,
 * six hold-out scenes (one per continent): 288 triplets, so the map shows the world and
 * per-region reports differ by place. About 10 s of CPU to generate (docs/benchmarks.md).
 */
export const SAMPLE_SPEC = { scenes: 48, patchesPerScene: 6, seed: 20190 } as const;

/** Bump whenever the generator's output changes, so existing caches are regenerated. */
const GENERATOR_VERSION = 2;

/** Written last inside the folder: its presence means the sample is complete. */
const COMPLETE_MARKER = '.complete';

/** Temporary folders older than this are left over from a crash and are removed. */
const STALE_MS = 60 * 60 * 1000;

const inFlight = new Map<string, Promise<string>>();

export function sampleFolderName(): string {
  const s = SAMPLE_SPEC;
  return `sample-v${GENERATOR_VERSION}-${s.scenes}x${s.patchesPerScene}-seed${s.seed}`;
}

async function isComplete(dir: string): Promise<boolean> {
  return stat(join(dir, COMPLETE_MARKER)).then(
    () => true,
    () => false,
  );
}

async function removeStaleTemps(root: string, name: string): Promise<void> {
  const now = Date.now();
  for (const entry of await readdir(root)) {
    if (!entry.startsWith(`${name}.tmp-`)) continue;
    const path = join(root, entry);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > STALE_MS) await rm(path, { recursive: true, force: true });
  }
}

async function generate(root: string, final: string, name: string): Promise<string> {
  if (await isComplete(final)) return final;
  await mkdir(root, { recursive: true });
  await removeStaleTemps(root, name);
  const tmp = join(root, `${name}.tmp-${randomUUID()}`);
  try {
    await synthesize(tmp, SAMPLE_SPEC);
    await writeFile(join(tmp, COMPLETE_MARKER), `${JSON.stringify({ ...SAMPLE_SPEC, version: GENERATOR_VERSION })}\n`);
    // A half-built folder from an older crash cannot be under the final name, but an empty or
    // incomplete one left by hand could: replace it.
    if (!(await isComplete(final))) await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
  } catch (err) {
    // Another process may have won the race: its folder is as good as ours.
    if (!(await isComplete(final))) throw err;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return final;
}

/** Where the embedded sample is (or will be) generated. */
export function sampleDirectory(opts: { cacheDir?: string } = {}): string {
  return join(opts.cacheDir ?? userCacheDir(), sampleFolderName());
}

/** The folder of the embedded sample data set, generated into the cache when missing. */
export function ensureSample(opts: { cacheDir?: string } = {}): Promise<string> {
  const root = opts.cacheDir ?? userCacheDir();
  const name = sampleFolderName();
  const final = sampleDirectory(opts);
  let pending = inFlight.get(final);
  if (!pending) {
    pending = generate(root, final, name).finally(() => inFlight.delete(final));
    inFlight.set(final, pending);
  }
  return pending;
}
