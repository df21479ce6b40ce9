/**
 * Where a data set's catalog lives by default. Not inside the data set: a downloaded SEN12MS
 * folder may be read-only or shared, so catalogs go to the user's cache folder, one file per
 * data set, named by a hash of the data set's absolute path.
 */
import path from 'node:path';
import { sha256 } from '../util/atomic-write.js';
import { userCacheDir } from '../util/cache-dir.js';

export function defaultCatalogPath(datasetDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const abs = path.resolve(datasetDir);
  const hash = sha256(abs).slice(0, 16);
  // The folder name keeps the file recognisable to a person looking in the cache.
  const name = path.basename(abs).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return path.join(userCacheDir(env), 'catalogs', `${name}-${hash}.sqlite`);
}
