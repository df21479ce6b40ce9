import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256, writeFileAtomic } from '../../core/util/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the content and leaves no temporary file', async () => {
    await writeFileAtomic(join(dir, 'a.json'), '{"x":1}');
    await writeFileAtomic(join(dir, 'b.bin'), new Uint8Array([1, 2, 3]));
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('{"x":1}');
    expect([...(await readFile(join(dir, 'b.bin')))]).toEqual([1, 2, 3]);
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.bin']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'c.txt');
    await writeFile(path, 'old content that is longer');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('keeps concurrent writes of one file apart and ends with one of them', async () => {
    const path = join(dir, 'd.txt');
    await Promise.all(['first', 'second', 'third'].map((text) => writeFileAtomic(path, text)));
    expect(['first', 'second', 'third']).toContain(await readFile(path, 'utf8'));
    expect(await readdir(dir)).toEqual(['d.txt']);
  });

  it('fails without leaving a temporary file when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'e.txt'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('sha256', () => {
  it('hashes parts as their concatenation', () => {
    const whole = createHash('sha256').update('hello world').digest('hex');
    expect(sha256('hello world')).toBe(whole);
    expect(sha256('hello', new TextEncoder().encode(' '), 'world')).toBe(whole);
  });
});
