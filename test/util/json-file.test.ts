import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonFile } from '../../core/util/json-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readJsonFile', () => {
  it('parses a file, gives null for a missing one, and names a malformed or unreadable one', async () => {
    const good = join(dir, 'good.json');
    await writeFile(good, '{"a":[1,2]}');
    expect(await readJsonFile(good)).toEqual({ a: [1, 2] });
    expect(await readJsonFile(join(dir, 'missing.json'))).toBeNull();
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"a":');
    await expect(readJsonFile(bad)).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(readJsonFile(dir)).rejects.toThrow(/cannot read: EISDIR/);
  });
});
