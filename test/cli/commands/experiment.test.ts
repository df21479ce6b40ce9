import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../core/cli/args.js';
import { run } from '../../../core/cli/commands/experiment.js';
import type { ExperimentResults } from '../../../core/training/experiment-results.js';
import { makeFixture, type Fixture } from '../../sampler/fixture.js';
import { captureStdout } from '../capture.js';

let fx: Fixture;
let root: string;

beforeAll(async () => {
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  root = await mkdtemp(join(tmpdir(), 'cli-experiment-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sen12ms-studio experiment', () => {
  it('runs the chosen cells with the given settings and prints one JSON line with the table', async () => {
    const stdout = captureStdout();
    const out = join(root, 'exp');
    const argv = [
      fx.catalog, '--out', out, '--aug-sets', '1,3', '--rows', 'supervised-1024', '--inputs', 's2', '--lrs', '1e-3,1e-2', '--checkpoint', 'best',
      '--depth', '10', '--size', '16', '--finetune-epochs', '1', '--batch-size', '4', '--labels', 'random:4', '--freeze', 'stage-1', '--seed', '3',
      '--backend', 'wasm', '--queue-size', '64', '--key-momentum', '0.99',
    ];
    expect(await run(argv)).toBe(0);
    const lines = stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ out, status: 'completed', cells: 2, table: join(out, 'table.md') });
    expect(line.seconds).toBeGreaterThan(0);

    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ExperimentResults;
    expect(results.settings).toMatchObject({
      seed: 3,
      lrs: [1e-3, 1e-2],
      checkpoint: 'best',
      labels: { subsets: { s2: { kind: 'random', n: 4 } }, note: 'random 4 (as given)' },
      pretrain: { depth: 10, size: 16, batchSize: 4, queueSize: 64, keyMomentum: 0.99 },
      finetune: { depth: 10, size: 16, batchSize: 4, epochs: 1, freeze: 'stage-1' },
    });
    expect(results.cells.map((c) => `${c.augSet}/${c.row}/${c.input}`)).toEqual(['1/supervised-1024/s2', '3/supervised-1024/s2']);
    const [cell] = results.cells;
    expect(cell.sweep.map((s) => s.lr)).toEqual([1e-3, 1e-2]);
    const table = await readFile(line.table, 'utf8');
    for (const augSet of [1, 3]) {
      expect(table).toContain(`| aug set ${augSet} | S1 (SAR) | S2 (optical) | S1 + S2 | Note |`);
      expect(table).toContain(
        `| Supervised (1024) | - | ${cell.jaccard_samples.toFixed(4)} | - | no pretraining, same runs in every aug set; random 4 (as given); lr ${cell.lr.toExponential()} |`,
      );
    }
  });

  it.each([
    [[], /expected one catalog file/],
    [['c.db'], /--out <dir> is required/],
    [['c.db', '--out', 'o', '--rows', 'supervised-full,supervised'], /--rows: unknown "supervised"/],
    [['c.db', '--out', 'o', '--aug-sets', '1,4'], /--aug-sets: unknown "4"; expected a comma-separated list of 1, 2, 3/],
    [['c.db', '--out', 'o', '--lrs', '1e-3,fast'], /--lrs must be a number, got "fast"/],
    [['c.db', '--out', 'o', '--lrs', '1e-3,-1', '--backend', 'wasm'], /lrs: learning rates must be positive numbers, got -1/],
    [['c.db', '--out', 'o', '--checkpoint', 'first', '--backend', 'wasm'], /checkpoint: expected last, best or step-N, got "first"/],
    [['c.db', '--out', 'o', '--labels', 'all'], /--labels: expected random:N or list:<file>/],
    [['c.db', '--out', 'o', '--inputs', 's2,s3'], /--inputs: unknown "s3"/],
    [['c.db', '--out', 'o', '--labels', 'one-per-scene'], /--labels: expected random:N or list:<file>/],
    [['c.db', '--out', 'o', '--finetune-epochs', 'two'], /--finetune-epochs must be a number/],
    [['c.db', '--out', 'o', '--key-momentum', 'high'], /--key-momentum must be a number/],
    [['c.db', '--out', 'o', '--inputs', 's2,s2', '--backend', 'wasm'], /inputs: listed twice: s2/],
    [['c.db', '--out', 'o', '--depth', '7', '--backend', 'wasm'], /invalid pretrain config: depth/],
    [['c.db', '--out', 'o', '--freeze', 'stage-9', '--backend', 'wasm'], /invalid finetune config: freeze/],
    [['c.db', '--out', 'o', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j as a usage error (exit 2)', async (argv, message) => {
    captureStdout();
    const attempt = run(argv);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
