/**
 * What the app's API may touch on disk: folders that hold SEN12MS scenes (datasets.open), the
 * raster files a data set's catalog lists (file routes), export destinations under the allowed
 * export roots, and list / region files under the data set folder or the app's data folder.
 * Every path is compared after resolving symlinks. The CLI is not confined: it reads and writes
 * what its user names on the command line.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isRoiSet, parsePatchFileName, parseSceneDir, patchId } from '../common/dataset/names.js';
import { ServiceError } from '../common/api/service-error.js';
import type { Db } from '../catalog/schema.js';

async function entries(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

/** True when `dir` holds at least one `ROIs<NNNN>_<season>/<s1|s2|lc>_<scene>/` folder. */
export async function holdsScenes(dir: string): Promise<boolean> {
  for (const roi of await entries(dir)) {
    if (!isRoiSet(roi.name) || !(roi.isDirectory() || roi.isSymbolicLink())) continue;
    for (const scene of await entries(path.join(dir, roi.name))) {
      if (parseSceneDir(scene.name) && (scene.isDirectory() || scene.isSymbolicLink())) return true;
    }
  }
  return false;
}

/** The refusal of a folder that is not a SEN12MS data set, naming it. */
export function notADataset(dir: string): ServiceError {
  return new ServiceError(
    'invalid-params',
    `params.dir: ${dir} holds no SEN12MS scenes (expected ROIs<NNNN>_<season>/<s1|s2|lc>_<scene>/ folders of patch files)`,
  );
}

/**
 * `p` with symlinks resolved, also when it does not exist yet: the deepest existing ancestor is
 * resolved and the missing rest appended (an export destination is created by the job).
 */
export async function realPathOf(p: string): Promise<string> {
  const abs = path.resolve(p);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return path.join(await realpath(at), ...missing.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return abs;
      missing.push(path.basename(at));
      at = parent;
    }
  }
}

/** True when `p` is `root` or inside it (both already resolved). */
export function isWithin(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * `p` (relative ones taken from `base`) resolved through its symlinks, when it lies in one of
 * `roots`; otherwise a 'forbidden' refusal naming the field and the folders allowed.
 */
export async function confinedPath(p: string, base: string, roots: readonly string[], field: string): Promise<string> {
  if (p.includes('\0')) throw new ServiceError('forbidden', `${field}: not a path`);
  const real = await realPathOf(path.resolve(base, p));
  const allowed = await Promise.all(roots.map(realPathOf));
  if (!allowed.some((root) => isWithin(root, real))) {
    throw new ServiceError('forbidden', `${field}: ${p} is outside the folders the app may use for it (${roots.join(', ')})`);
  }
  return real;
}

/** True when `rel` (forward slashes, relative to the data set) is the s1, s2 or lc file of a catalogued patch. */
export function listedRaster(catalog: Db, rel: string): boolean {
  const parsed = parsePatchFileName(path.posix.basename(rel));
  if (!parsed) return false;
  const row = catalog.prepare('SELECT s1_path AS s1, s2_path AS s2, lc_path AS lc FROM patches WHERE id = ?').get(patchId(parsed)) as
    | { s1: string | null; s2: string; lc: string }
    | undefined;
  return row !== undefined && row[parsed.sensor] === rel;
}
