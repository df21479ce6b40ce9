import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../core/backend/select.js';
import { UsageError } from '../../../core/cli/args.js';
import { run } from '../../../core/cli/commands/evaluate.js';
import { loadPatchItems } from '../../../core/sampler/patch-items.js';
import { makeFixture, type Fixture } from '../../sampler/fixture.js';
import { finetuneRun } from '../../training/weights-fixtures.js';
import { captureStdout } from '../capture.js';

let fx: Fixture;
let root: string;
let model: string;

beforeAll(async () => {
  // The fixture model is built before the command picks its backend.
  await initBackend({ purpose: 'infer', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  root = await mkdtemp(join(tmpdir(), 'cli-evaluate-'));
  const { dir, encoder } = await finetuneRun(root, { catalog: fx.catalog, depth: 10, size: 16 });
  encoder.dispose();
  model = dir;
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sen12ms-studio evaluate', () => {
  it('prints the headline numbers, groups with n and the predictions file', async () => {
    const stdout = captureStdout();
    const csv = join(root, 'p.csv');
    expect(await run([model, '--catalog', fx.catalog, '--split', 'all', '--by', 'scene', '--predictions', csv, '--backend', 'wasm'])).toBe(0);
    const lines = stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    const items = loadPatchItems(fx.catalog);
    expect(line).toMatchObject({ split: 'all', task: 'multi_label', n: items.length, predictions: csv, backend: 'wasm' });
    expect(typeof line.jaccard_samples).toBe('number');
    expect(line.groups).toHaveLength(new Set(items.map((it) => it.sceneKey)).size);
    expect(line.groups.reduce((s: number, g: { n: number }) => s + g.n, 0)).toBe(items.length);
    for (const g of line.groups) expect(typeof g.jaccard_samples).toBe('number');
    await access(csv);
  });

  it.each([
    [['m'], /--catalog <catalog.sqlite> is required/],
    [['--catalog', 'c.db'], /expected one model directory/],
    [['m', '--catalog', 'c.db', '--split', 'dev'], /--split must be one of test, val, train, all/],
    [['m', '--catalog', 'c.db', '--by', 'country'], /--by: expected scene, season or regions=<file.geojson>/],
    [['m', '--catalog', 'c.db', '--batch-size', '0'], /--batch-size must be at least 1/],
  ])('refuses %j as a usage error (exit 2)', async (argv, message) => {
    captureStdout();
    const attempt = run(argv);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
