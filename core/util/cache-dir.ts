import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The user's cache folder for SEN12MS Studio: $SEN12MS_STUDIO_CACHE, else
 * $XDG_CACHE_HOME/sen12ms-studio, else ~/.cache/sen12ms-studio. Empty variables count as unset.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEN12MS_STUDIO_CACHE) return resolve(env.SEN12MS_STUDIO_CACHE);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'sen12ms-studio');
  return join(homedir(), '.cache', 'sen12ms-studio');
}

/**
 * The user's data folder for SEN12MS Studio (app database, runs, exports, job logs):
 * $SEN12MS_STUDIO_DATA, else $XDG_DATA_HOME/sen12ms-studio, else ~/.local/share/sen12ms-studio.
 * Empty variables count as unset.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEN12MS_STUDIO_DATA) return resolve(env.SEN12MS_STUDIO_DATA);
  if (env.XDG_DATA_HOME) return join(resolve(env.XDG_DATA_HOME), 'sen12ms-studio');
  return join(homedir(), '.local', 'share', 'sen12ms-studio');
}
