import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The renderer imports core/preview/ through Vite in Chromium, so everything there except png.ts
 * (the service's encoder) must load without Node: no node: or built-in modules, no Buffer or
 * process, in the modules themselves and in everything they import.
 */

const PREVIEW = resolve(dirname(fileURLToPath(import.meta.url)), '../../core/preview');
const NODE_ONLY = new Set(['png.ts']);
const BUILTINS = new Set(builtinModules);

function specifiers(source: string): string[] {
  const found = [
    ...source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]);
}

/** Each module reachable from the entry points through relative imports, with what it imports that is not relative. */
function reachable(entries: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const imports = specifiers(readFileSync(file, 'utf8'));
    seen.set(file, imports.filter((s) => !s.startsWith('.')));
    for (const s of imports.filter((s) => s.startsWith('.'))) queue.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return seen;
}

function nodeUses(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const external = reachable([file]).get(file) ?? [];
  return [
    ...external.filter((s) => s.startsWith('node:') || BUILTINS.has(s.split('/')[0])),
    ...[...source.matchAll(/\b(Buffer|process)\s*\./g)].map((m) => m[1]),
  ];
}

describe('core/preview runs in the browser', () => {
  const modules = readdirSync(PREVIEW).filter((f) => f.endsWith('.ts') && !NODE_ONLY.has(f));

  it('every module but png.ts, and all it imports, uses no Node module or global and no package', () => {
    expect(modules.length).toBeGreaterThanOrEqual(7);
    const all = reachable(modules.map((f) => join(PREVIEW, f)));
    for (const file of all.keys()) {
      expect(nodeUses(file), file).toEqual([]);
      expect(all.get(file), `${file} imports packages`).toEqual([]);
    }
  });

  it('the check sees the Node import png.ts has (so it would see one elsewhere)', () => {
    expect(nodeUses(join(PREVIEW, 'png.ts'))).toEqual(['node:zlib']);
  });
});
