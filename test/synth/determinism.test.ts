import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../core/synth/synthesize.js';

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = join(entry.parentPath ?? entry.path, entry.name);
      out.set(relative(dir, full), await readFile(full));
    }
  }
  return out;
}

describe('synthesize determinism', () => {
  let root: string;
  const spec = { scenes: 2, patchesPerScene: 2 };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'synth-det-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    await synthesize(join(root, 'a'), { ...spec, seed: 5 });
    await synthesize(join(root, 'b'), { ...spec, seed: 5 });
    await synthesize(join(root, 'c'), { ...spec, seed: 6 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => files(join(root, d))));
    expect(a.size).toBe(12);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!)).toBe(true);
    const cBytes = [...c.values()];
    for (const bytes of a.values()) expect(cBytes.some((other) => other.equals(bytes))).toBe(false);
  });

  it('reports progress once per triplet', async () => {
    const seen: [number, number][] = [];
    await synthesize(join(root, 'p'), { scenes: 1, patchesPerScene: 3, seed: 1, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });
});
