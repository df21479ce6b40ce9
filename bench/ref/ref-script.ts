import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The interpreter the reference scripts run under: Debian's, which has numpy, rasterio and torch. */
export const PYTHON = '/usr/bin/python3';

/** Path of a reference script in bench/ref: next to this module (tsx), or in the source tree from dist/bench/ref. */
export function refScript(name: string): string {
  for (const rel of [`./${name}`, `../../../bench/ref/${name}`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`bench/ref/${name} not found`);
}
