/**
 * Files of the installed package (resources, the built renderer, package.json). Modules run from
 * core/ under the test runner, from dist/core/ after a build and from inside an asar archive when
 * packaged, so the root is found by walking up to our own package.json rather than by a fixed
 * number of `..`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sen12ms-studio';
let root: string | undefined;

function isOurs(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

export function packageRoot(): string {
  if (root !== undefined) return root;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (isOurs(dir)) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`package.json of ${PACKAGE_NAME} not found above ${here}`);
  }
}

/** A path inside the package, e.g. packageFile('resources', 'splits', 'holdout-scenes.txt'). */
export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}
