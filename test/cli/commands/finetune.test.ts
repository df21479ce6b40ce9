import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../core/cli/args.js';
import { run } from '../../../core/cli/commands/finetune.js';
import { makeFixture, type Fixture } from '../../sampler/fixture.js';
import { captureStdout } from '../capture.js';

let fx: Fixture;
let runs: string;

beforeAll(async () => {
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  runs = await mkdtemp(join(tmpdir(), 'cli-finetune-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(runs, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sen12ms-studio finetune', () => {
  it('trains and prints one JSON line with the run, status, steps and best score', async () => {
    const stdout = captureStdout();
    const argv = [fx.catalog, '--depth', '10', '--size', '16', '--batch-size', '4', '--epochs', '1', '--seed', '3', '--runs', runs, '--backend', 'wasm'];
    expect(await run(argv)).toBe(0);
    const lines = stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ status: 'completed', steps: 2, epochs: 1, backend: 'wasm', best: { metric: 'f1_micro', step: 2 } });
    expect(line.run.startsWith(runs)).toBe(true);
  });

  it.each([
    [[], /expected one catalog file/],
    [['a.db', 'b.db'], /expected one catalog file/],
    [['--resume', '/r', '--lr', '0.1'], /--resume continues a run with its own settings; drop --lr/],
    [['c.db', '--epochs', 'two'], /--epochs must be a number/],
    [['c.db', '--input', 's3', '--backend', 'wasm'], /input: must be one of "s1", "s2", "s1s2"/],
    [['c.db', '--variant', 'moco', '--backend', 'wasm'], /pretrained: variant "moco"/],
    [['c.db', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j as a usage error (exit 2)', async (argv, message) => {
    captureStdout();
    const attempt = run(argv);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
