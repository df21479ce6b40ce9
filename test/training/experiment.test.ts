import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { loadPatchItems } from '../../core/sampler/patch-items.js';
import type { ExperimentCell, ExperimentResults } from '../../core/training/experiment-results.js';
import { runExperiment, type ExperimentOptions, type ExperimentProgress } from '../../core/training/experiment.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';

let fx: Fixture;
let root: string;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  root = await mkdtemp(join(tmpdir(), 'experiment-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(root, { recursive: true, force: true });
});

// ResNet-10 at 16 px, one epoch of each run: every part of the grid runs, in seconds.
const tiny = (outDir: string, extra: Partial<ExperimentOptions> = {}): ExperimentOptions => ({
  catalog: fx.catalog,
  outDir,
  rows: ['supervised', 'sensor-pairs'],
  inputs: ['s2', 's1s2'],
  pretrain: { depth: 10, size: 16, epochs: 1, batchSize: 4, queueSize: 8 },
  finetune: { size: 16, epochs: 1, batchSize: 4 },
  seed: 3,
  ...extra,
});

async function runDirs(outDir: string): Promise<{ pretrain: string[]; finetune: string[] }> {
  const names = (await readdir(join(outDir, 'runs'))).filter((n) => !n.startsWith('.'));
  return { pretrain: names.filter((n) => n.includes('-pretrain-')), finetune: names.filter((n) => n.includes('-finetune-')) };
}

async function trainerOf(outDir: string, run: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(outDir, run, 'config.json'), 'utf8')).trainer;
}

/** The table's body as { title: [s1, s2, s1/s2] }, checking the header on the way. */
function parseMarkdown(text: string): Record<string, string[]> {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  expect(lines[0].split('|').map((c) => c.trim())).toEqual(['', '', 's1', 's2', 's1/s2', '']);
  return Object.fromEntries(lines.slice(2).map((l) => {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    return [cells[0], cells.slice(1)];
  }));
}

describe('runExperiment (ResNet-10, 16 px, wasm)', () => {
  it('fills the grid, resumes a cancelled finetune, reuses the pretrain and skips finished cells', async () => {
    const out = join(root, 'grid');
    const controller = new AbortController();
    const seen: ExperimentProgress[] = [];
    const first = await runExperiment(tiny(out, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.cell === 4 && p.phase === 'finetune') controller.abort();
      },
    }));
    expect(first).toMatchObject({ status: 'cancelled', ran: 3 });
    expect(first.cells.map((c) => `${c.row}/${c.input}`)).toEqual(['supervised/s2', 'supervised/s1s2', 'sensor-pairs/s2']);
    expect(seen.filter((p) => p.phase === 'pretrain').every((p) => p.cell === 3 && p.row === 'sensor-pairs')).toBe(true);
    expect(new Set(seen.map((p) => p.cells))).toEqual(new Set([4]));
    const cancelled = JSON.parse(await readFile(first.results, 'utf8')) as ExperimentResults;
    expect(cancelled.finetunes['sensor-pairs/s1s2'].status).toBe('cancelled');
    const before = await runDirs(out);
    expect(before.pretrain).toHaveLength(1);
    expect(before.finetune).toHaveLength(4);

    const second = await runExperiment(tiny(out));
    expect(second).toMatchObject({ status: 'completed', ran: 1 });
    expect(await runDirs(out)).toEqual(before);

    // Every cell: a result over the test patches its input can read, from the runs the row implies.
    const items = loadPatchItems(fx.catalog).filter((it) => it.split === 'test');
    const results = JSON.parse(await readFile(second.results, 'utf8')) as ExperimentResults;
    expect(results.cells).toEqual(second.cells);
    expect(results.cells.map((c) => `${c.row}/${c.input}`)).toEqual(['supervised/s2', 'supervised/s1s2', 'sensor-pairs/s2', 'sensor-pairs/s1s2']);
    const pretrainRun = results.pretrains['sensor-pairs']!.run;
    expect(await trainerOf(out, pretrainRun)).toMatchObject({ strategy: 'sensor-pairs', inputBlocks: true, depth: 10 });
    for (const cell of results.cells) {
      expect(cell.n).toBe(items.filter((it) => cell.input === 's2' || it.s1Path !== null).length);
      for (const k of ['jaccard_samples', 'f1_micro', 'f1_macro', 'map_macro'] as const) expect(cell[k]).toBeGreaterThanOrEqual(0);
      expect(cell.finetune_run).toBe(results.finetunes[`${cell.row}/${cell.input}`].run);
      const trainer = await trainerOf(out, cell.finetune_run);
      expect(trainer).toMatchObject({ input: cell.input, depth: 10, scheme: 'multi', classes: 10 });
      if (cell.row === 'supervised') {
        expect(cell.pretrain_run).toBeNull();
        expect(trainer.variant).toBe('supervised');
        expect(trainer.pretrained).toBeUndefined();
      } else {
        expect(cell.pretrain_run).toBe(pretrainRun);
        expect(trainer).toMatchObject({ variant: 'moco-1x1', pretrained: join(out, pretrainRun) });
      }
    }

    const table = parseMarkdown(await readFile(second.table, 'utf8'));
    const value = (c: ExperimentCell | undefined) => c?.jaccard_samples.toFixed(4) ?? '-';
    const find = (row: string, input: string) => results.cells.find((c) => c.row === row && c.input === input);
    expect(Object.keys(table)).toEqual(['Supervised', 'Sensor-based pairs (MoCo, 1x1 blocks)']);
    expect(Object.values(table)).toEqual(['supervised', 'sensor-pairs'].map((r) => ['s1', 's2', 's1s2'].map((i) => value(find(r, i)))));
    expect(await readFile(second.table, 'utf8')).toMatch(/official test split .*ResNet-10.*Seed 3\./s);

    const csv = (await readFile(second.csv, 'utf8')).split('\r\n');
    expect(csv.pop()).toBe('');
    const [header, ...lines] = csv.map((l) => l.split(','));
    expect(header).toEqual(['row', 'input', 'jaccard_samples', 'f1_micro', 'f1_macro', 'map_macro', 'n', 'pretrain_run', 'finetune_run']);
    expect(lines.map((l) => Object.fromEntries(header.map((h, j) => [h, l[j]])))).toEqual(
      results.cells.map((c) => Object.fromEntries(header.map((h) => [h, String(c[h as keyof ExperimentCell] ?? '')]))),
    );

    const third = await runExperiment(tiny(out));
    expect(third).toMatchObject({ status: 'completed', ran: 0, cells: second.cells });
    expect(await runDirs(out)).toEqual(before);

    await expect(runExperiment(tiny(out, { finetune: { size: 16, epochs: 2, batchSize: 4 } }))).rejects.toThrow(
      /results\.json: made with other settings \(finetune\.epochs was 1, now 2\)/,
    );
  }, 180_000);

  it.each([
    [{ rows: ['supervised', 'fusion'] }, /rows: unknown "fusion"/],
    [{ inputs: [] }, /inputs: give at least one/],
    [{ inputs: ['s2', 's2'] }, /inputs: listed twice: s2/],
    [{ seed: -1 }, /seed: must be an integer/],
    [{ finetune: { input: 's1' } }, /finetune\.input: set by the experiment/],
    [{ pretrain: { strategy: 'augment' } }, /pretrain\.strategy: set by the experiment/],
    [{ finetune: { scheme: 'single' } }, /finetune\.scheme: the experiment reproduces the research's multi-label table/],
    [{ pretrain: { depth: 18 }, finetune: { depth: 10 } }, /pretrain\.depth \(18\) and finetune\.depth \(10\) differ/],
    [{ pretrain: { epochs: 0 } }, /invalid pretrain config: epochs: must be >= 1/],
    [{ finetune: { freeze: 'stage-9' } }, /invalid finetune config: freeze: must be one of/],
  ] as [Partial<ExperimentOptions>, RegExp][])('refuses %j before training, naming the field', async (bad, message) => {
    const out = join(root, 'bad');
    await expect(runExperiment({ ...tiny(out), ...bad })).rejects.toThrow(message);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
