import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main.js';

async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('sen12ms-studio synth', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cli-synth-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the data set and prints one JSON line', async () => {
    const dir = join(root, 'ds');
    const { code, stdout } = await runCli(['synth', dir, '--scenes', '2', '--patches-per-scene', '2', '--seed', '4']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(Object.keys(result)).toEqual(['triplets', 'scenes', 'seconds', 'dir']);
    expect(result).toMatchObject({ triplets: 4, scenes: 2, dir });
    expect(typeof result.seconds).toBe('number');
    const tifs = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.tif'));
    expect(tifs).toHaveLength(12);
  });

  it.each([
    [['synth'], /one output folder/],
    [['synth', 'x', '--scenes', 'two'], /--scenes must be an integer/],
    [['synth', 'x', '--patches-per-scene', '0'], /--patches-per-scene must be in 1\.\.784/],
    [['synth', 'x', '--seed', '-1'], /--seed/],
    [['synth', 'x', '--bogus'], /bogus/],
  ])('exits 2 with a usage error for %j', async (argv, message) => {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
