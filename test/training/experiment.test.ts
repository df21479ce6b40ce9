import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { parsePatchId, patchFileName } from '../../core/common/dataset/names.js';
import { readMetrics } from '../../core/runs/metrics-log.js';
import { loadPatchItems } from '../../core/sampler/patch-items.js';
import { evaluate } from '../../core/inference/evaluate.js';
import { planExperiment, type ExperimentOptions, type ExperimentProgress } from '../../core/training/experiment-plan.js';
import type { ExperimentCell, ExperimentResults } from '../../core/training/experiment-results.js';
import { CSV_COLUMNS } from '../../core/training/experiment-table.js';
import { runExperiment } from '../../core/training/experiment.js';
import { finetuneSelection } from '../../core/sampler/finetune-selection.js';
import { CPU_BACKEND_DEFAULTS, finetuneConfigFor, pretrainConfigFor } from '../../core/common/training/backend-defaults.js';
import { FINETUNE_DEFAULTS } from '../../core/common/training/finetune-config.js';
import type { MultiLabelReport } from '../../core/common/metrics/report-types.js';
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
  augSets: [1, 2],
  rows: ['sensor-pairs', 'all-fusion'],
  inputs: ['s2'],
  lrs: [1e-3, 1e-4],
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

/** The run's own record of its validation micro-F1, epoch by epoch. */
async function validationScores(runDir: string): Promise<{ step: number; f1_micro: number }[]> {
  const { records } = await readMetrics(runDir);
  return records.filter((r) => r.validation).map((r) => ({ step: r.step as number, f1_micro: (r.validation as { f1_micro: number }).f1_micro }));
}

/** The tables of table.md as { 'aug set N': { title: [s1, s2, s1s2, Note] } }, checking each header. */
function parseMarkdown(text: string): Record<string, Record<string, string[]>> {
  const tables: Record<string, Record<string, string[]>> = {};
  for (const block of text.split('\n\n').filter((b) => b.startsWith('|'))) {
    const lines = block.split('\n');
    const header = lines[0].split('|').map((c) => c.trim());
    expect(header.slice(2)).toEqual(['S1 (SAR)', 'S2 (optical)', 'S1 + S2', 'Note', '']);
    tables[header[1]] = Object.fromEntries(lines.slice(2).map((l) => {
      const cells = l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      return [cells[0], cells.slice(1)];
    }));
  }
  return tables;
}

describe('planExperiment', () => {
  it("plans the draft's blocks and rows, sharing the runs the aug set does not change", async () => {
    const plan = await planExperiment({ ...tiny(join(root, 'plan')), augSets: undefined, rows: undefined, inputs: undefined, lrs: undefined });
    expect(plan.augSets).toEqual([1, 2]);
    expect(plan.rows).toEqual(['supervised-full', 'supervised-1024', 'sensor-pairs', 'all-fusion', 'partial-fusion', 'optional-fusion']);
    expect(plan.inputs).toEqual(['s1', 's2', 's1s2']);
    expect(plan.lrs).toEqual([1e-3, 1e-4, 1e-5]);
    expect(plan.settings.checkpoint).toBe('last');

    for (const row of ['supervised-full', 'supervised-1024'] as const) expect(plan.cellKey(1, row, 's2')).toBe(plan.cellKey(2, row, 's2'));
    expect(plan.pretrainKey('sensor-pairs', 1)).toBe(plan.pretrainKey('sensor-pairs', 2));
    expect(plan.pretrain('sensor-pairs', 2)).toMatchObject({ strategy: 'sensor-pairs', aug: 'none', inputBlocks: true });
    for (const row of ['all-fusion', 'partial-fusion', 'optional-fusion'] as const) {
      expect(plan.pretrainKey(row, 1)).not.toBe(plan.pretrainKey(row, 2));
      expect([1, 2].map((a) => plan.pretrain(row, a as 1 | 2).aug)).toEqual(['aug-set-1', 'aug-set-2']);
    }

    // The fixture does not hold train_list_1024.txt and has fewer than 1,024 training patches:
    // the 1,024 rows draw at random as many as the full row trains on, and say so.
    const items = loadPatchItems(fx.catalog);
    for (const input of plan.inputs) {
      const full = plan.finetune('supervised-full', input, 1e-3, null);
      expect(full.selection.subset).toEqual({ kind: 'all' });
      const available = (await finetuneSelection(items, full, 'train')).length;
      expect(available).toBeLessThan(1024);
      expect(plan.finetune('supervised-1024', input, 1e-4, null)).toMatchObject({ variant: 'supervised', lr: 1e-4, selection: { subset: { kind: 'random', n: available } } });
    }
    expect(plan.settings.labels.note).toMatch(/^random \d+.* \(train_list_1024\.txt not in this catalog\)$/);
  });

  it("fills the backend's defaults as pretrain and finetune do: what is given wins, a finetune keeps the draft's batch", async () => {
    const plan = await planExperiment({ ...tiny(join(root, 'plan-backend')), backend: CPU_BACKEND_DEFAULTS, pretrain: { epochs: 1 }, finetune: { epochs: 1 } });
    const pretrain = plan.pretrain('all-fusion', 1);
    const alone = pretrainConfigFor(fx.catalog, { strategy: 'all-fusion', aug: 'aug-set-1', epochs: 1, seed: 3 }, CPU_BACKEND_DEFAULTS);
    for (const field of ['depth', 'size', 'batchSize', 'queueSize'] as const) expect(pretrain[field]).toBe(alone[field]);
    expect(pretrain).toMatchObject({ depth: CPU_BACKEND_DEFAULTS.depth, size: CPU_BACKEND_DEFAULTS.size, batchSize: CPU_BACKEND_DEFAULTS.batchSize });
    const finetune = plan.finetune('supervised-full', 's2', 1e-3, null);
    const finetuneAlone = finetuneConfigFor(fx.catalog, { epochs: 1 }, CPU_BACKEND_DEFAULTS);
    for (const field of ['depth', 'size', 'batchSize'] as const) expect(finetune[field]).toBe(finetuneAlone[field]);
    expect(finetune.batchSize).toBe(FINETUNE_DEFAULTS.batchSize);

    const given = await planExperiment({ ...tiny(join(root, 'plan-backend')), backend: CPU_BACKEND_DEFAULTS });
    expect(given.pretrain('all-fusion', 1)).toMatchObject({ depth: 10, size: 16, batchSize: 4, queueSize: 8 });
    expect(given.finetune('supervised-full', 's2', 1e-3, null)).toMatchObject({ depth: 10, size: 16, batchSize: 4 });
  });

  it('takes the list when the catalog holds every patch of it', async () => {
    const list = await labelList('held.txt');
    const plan = await planExperiment({ ...tiny(join(root, 'plan-list')), labelList: list });
    expect(plan.settings.labels).toEqual({
      subsets: { s1: { kind: 'list', file: list }, s2: { kind: 'list', file: list }, s1s2: { kind: 'list', file: list } },
      note: 'held.txt, cut 80/20 in list order',
    });
    const missing = join(root, 'missing.txt');
    await writeFile(missing, `${(await readFile(list, 'utf8'))}ROIs1158_spring_s2_999_p999.tif\n`);
    const fallback = await planExperiment({ ...tiny(join(root, 'plan-list')), labelList: missing });
    expect(fallback.settings.labels.note).toMatch(/^random \d+.* \(missing\.txt only partly in this catalog: 8 of its 9 patches\)$/);
  });
});

/** A list of 8 of the fixture's training patches (with S1), as the research's list names them. */
async function labelList(name: string): Promise<string> {
  const names = loadPatchItems(fx.catalog)
    .filter((it) => it.split === 'train' && it.s1Path !== null)
    .slice(0, 8)
    .map((it) => patchFileName(parsePatchId(it.id), 's2'));
  const file = join(root, name);
  await writeFile(file, names.join('\n') + '\n');
  return file;
}

describe('runExperiment (ResNet-10, 16 px, wasm)', () => {
  it('runs each block, sharing runs across blocks, picks the lr on validation, resumes and skips finished cells', async () => {
    const out = join(root, 'grid');
    const controller = new AbortController();
    const seen: ExperimentProgress[] = [];
    const first = await runExperiment(tiny(out, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.row === 'sensor-pairs' && p.phase === 'finetune' && p.lr === 1e-4) controller.abort();
      },
    }));
    expect(first).toMatchObject({ status: 'cancelled', ran: 0, cells: [] });
    expect(new Set(seen.map((p) => p.cells))).toEqual(new Set([4]));
    expect(seen.filter((p) => p.phase === 'pretrain').every((p) => p.cell === 1 && p.row === 'sensor-pairs')).toBe(true);
    expect(seen.filter((p) => p.phase === 'finetune').every((p) => p.lr === 1e-3 || p.lr === 1e-4)).toBe(true);
    const cancelled = JSON.parse(await readFile(first.results, 'utf8')) as ExperimentResults;
    expect(cancelled.finetunes['sensor-pairs/none/s2/lr=0.0001'].status).toBe('cancelled');
    const before = await runDirs(out);

    const second = await runExperiment(tiny(out));
    expect(second).toMatchObject({ status: 'completed', ran: 3 });
    const after = await runDirs(out);
    // One pretrain for sensor pairs, one per aug set for all fusion; two rates for each of the three
    // distinct cells; the cancelled finetune was resumed, not started again.
    expect(after.pretrain).toHaveLength(3);
    expect(after.finetune).toHaveLength(6);
    expect(after.finetune).toEqual(expect.arrayContaining(before.finetune));

    const results = JSON.parse(await readFile(second.results, 'utf8')) as ExperimentResults;
    expect(results).toMatchObject({ format: 'sen12ms-studio.experiment-results', version: 2 });
    expect(results.cells).toEqual(second.cells);
    expect(results.cells.map((c) => `${c.augSet}/${c.row}/${c.input}`)).toEqual(['1/sensor-pairs/s2', '1/all-fusion/s2', '2/sensor-pairs/s2', '2/all-fusion/s2']);
    const cell = (augSet: number, row: string) => results.cells.find((c) => c.augSet === augSet && c.row === row)!;

    // Shared runs: the sensor-pair cell of block 2 is block 1's; all fusion pretrains once per block.
    expect({ ...cell(2, 'sensor-pairs'), augSet: 1 }).toEqual(cell(1, 'sensor-pairs'));
    const sensorPretrain = cell(1, 'sensor-pairs').pretrain!;
    expect(sensorPretrain.aug).toBe('none');
    expect(await trainerOf(out, sensorPretrain.run)).toMatchObject({ strategy: 'sensor-pairs', aug: 'none', inputBlocks: true, depth: 10 });
    const fusion = [1, 2].map((a) => cell(a, 'all-fusion'));
    expect(fusion[0].pretrain!.run).not.toBe(fusion[1].pretrain!.run);
    expect(fusion[0].finetune_run).not.toBe(fusion[1].finetune_run);
    for (const [k, c] of fusion.entries()) {
      expect(c.pretrain!.aug).toBe(`aug-set-${k + 1}`);
      expect(await trainerOf(out, c.pretrain!.run)).toMatchObject({ strategy: 'all-fusion', aug: `aug-set-${k + 1}`, inputBlocks: false });
    }

    const items = loadPatchItems(fx.catalog);
    for (const c of results.cells.filter((x) => x.augSet === 1 || x.row === 'all-fusion')) {
      // The pretrain's last checkpoint, loaded by every finetune of the sweep.
      const pretrain = c.pretrain!;
      const lastStep = Math.max(...(await readMetrics(join(out, pretrain.run))).records.map((r) => r.step as number));
      expect(pretrain.checkpoint).toMatchObject({ kind: 'last', step: lastStep });
      expect(results.pretrains[`${c.row}/${pretrain.aug}`]).toMatchObject({ run: pretrain.run, status: 'completed', checkpoint: pretrain.checkpoint });
      // The sweep: one finetune per rate, each scored by its own best validation micro-F1.
      expect(c.sweep.map((s) => s.lr)).toEqual([1e-3, 1e-4]);
      for (const s of c.sweep) {
        const trainer = await trainerOf(out, s.run);
        expect(trainer).toMatchObject({
          lr: s.lr, input: 's2', depth: 10, scheme: 'multi', classes: 10, variant: c.row === 'sensor-pairs' ? 'moco-1x1' : 'moco',
          pretrained: join(out, pretrain.run), pretrainedCheckpoint: { ...pretrain.checkpoint, run: join(out, pretrain.run) },
          selection: { subset: results.settings.labels.subsets.s2 },
        });
        const scores = await validationScores(join(out, s.run));
        const best = Math.max(...scores.map((v) => v.f1_micro));
        expect(s.validation).toBe(best);
        expect(scores.find((v) => v.step === s.step)!.f1_micro).toBe(best);
      }
      const bestOfSweep = Math.max(...c.sweep.map((s) => s.validation));
      const chosen = c.sweep.find((s) => s.validation === bestOfSweep)!;
      expect(c).toMatchObject({ lr: chosen.lr, val_f1_micro: chosen.validation, finetune_run: chosen.run });
      // The reported test score is the chosen finetune's evaluation on the official test split.
      const evaluation = await evaluate({ model: join(out, c.finetune_run), catalog: fx.catalog, split: 'test', batchSize: 4 });
      const m = evaluation.overall as MultiLabelReport;
      expect(c).toMatchObject({ jaccard_samples: m.jaccard_samples, f1_micro: m.f1_micro, n: items.filter((it) => it.split === 'test').length });
    }

    const md = await readFile(second.table, 'utf8');
    const tables = parseMarkdown(md);
    expect(Object.keys(tables)).toEqual(['aug set 1', 'aug set 2']);
    for (const [k, table] of Object.values(tables).entries()) {
      expect(Object.keys(table)).toEqual(['Sensor pairs: S1/S2 of one place (MoCo)', 'All fusion (MoCo)']);
      const ofRow = (row: string) => cell(k + 1, row);
      for (const [title, row] of [['Sensor pairs: S1/S2 of one place (MoCo)', 'sensor-pairs'], ['All fusion (MoCo)', 'all-fusion']]) {
        expect(table[title].slice(0, 3)).toEqual(['-', ofRow(row).jaccard_samples.toFixed(4), '-']);
        expect(table[title][3]).toContain(`lr ${ofRow(row).lr.toExponential()}`);
      }
      expect(table['Sensor pairs: S1/S2 of one place (MoCo)'][3]).toContain(`same runs in every aug set; last checkpoint, step ${sensorPretrain.checkpoint.step}`);
      expect(table['All fusion (MoCo)'][3]).toContain(`pretrain with aug-set-${k + 1}; last checkpoint, step ${fusion[k].pretrain!.checkpoint.step}`);
      expect(table['All fusion (MoCo)'][3]).toMatch(/random \d+ \(train_list_1024\.txt not in this catalog\)/);
    }
    expect(md).toMatch(/Sample-averaged Jaccard.*official test split .*lr in \{1e-3, 1e-4\}.*ResNet-10.*Seed 3\./s);

    const csv = (await readFile(second.csv, 'utf8')).split('\r\n');
    expect(csv.pop()).toBe('');
    const [header, ...lines] = csv.map((l) => l.split(','));
    expect(header).toEqual(['aug_set', 'row', 'input', 'jaccard_samples', 'f1_micro', 'f1_macro', 'map_macro', 'n', 'lr', 'val_f1_micro', 'pretrain_step', 'pretrain_run', 'finetune_run']);
    expect(header).toEqual(CSV_COLUMNS);
    const flat = (c: ExperimentCell) => [
      c.augSet, c.row, c.input, c.jaccard_samples, c.f1_micro, c.f1_macro, c.map_macro, c.n, c.lr, c.val_f1_micro,
      c.pretrain?.checkpoint.step ?? '', c.pretrain?.run ?? '', c.finetune_run,
    ].map(String);
    expect(lines).toEqual(results.cells.map(flat));

    const third = await runExperiment(tiny(out));
    expect(third).toMatchObject({ status: 'completed', ran: 0, cells: second.cells });
    expect(await runDirs(out)).toEqual(after);

    await expect(runExperiment(tiny(out, { lrs: [1e-3] }))).rejects.toThrow(/results\.json: made with other settings \(lrs was \[0\.001,0\.0001\], now \[0\.001\]\)/);
    await expect(runExperiment(tiny(out, { checkpoint: 'step-1' }))).rejects.toThrow(/results\.json: made with other settings \(checkpoint was "last", now "step-1"\)/);
  }, 300_000);

  it('runs the supervised rows once for every block: all train labels, and the list the catalog holds', async () => {
    const out = join(root, 'list');
    const list = await labelList('train_list_tiny.txt');
    const outcome = await runExperiment(tiny(out, { rows: ['supervised-full', 'supervised-1024'], lrs: [1e-3], labelList: list }));
    expect(outcome).toMatchObject({ status: 'completed', ran: 2 });
    expect(outcome.cells.map((c) => `${c.augSet}/${c.row}`)).toEqual(['1/supervised-full', '1/supervised-1024', '2/supervised-full', '2/supervised-1024']);
    for (const [a, b] of [[0, 2], [1, 3]]) expect({ ...outcome.cells[b], augSet: 1 }).toEqual(outcome.cells[a]);
    expect(outcome.cells.every((c) => c.pretrain === null)).toBe(true);
    expect((await runDirs(out)).finetune).toHaveLength(2);
    const [full, small] = outcome.cells;
    expect(await trainerOf(out, full.finetune_run)).toMatchObject({ variant: 'supervised', selection: { subset: { kind: 'all' } } });
    expect(await trainerOf(out, small.finetune_run)).toMatchObject({ variant: 'supervised', selection: { subset: { kind: 'list', file: list } } });
    expect((await trainerOf(out, small.finetune_run)).pretrained).toBeUndefined();
    const table = parseMarkdown(await readFile(outcome.table, 'utf8'))['aug set 2'];
    expect(table['Supervised (full)'][3]).toBe('no pretraining, same runs in every aug set; all train labels; lr 1e-3');
    expect(table['Supervised (1024)'][3]).toBe(`no pretraining, same runs in every aug set; ${basename(list)}, cut 80/20 in list order; lr 1e-3`);
  }, 120_000);

  it('refuses results of an earlier format version, naming the file', async () => {
    const out = join(root, 'old');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'results.json'), JSON.stringify({ format: 'sen12ms-studio.experiment-results', version: 1, settings: {}, pretrains: {}, finetunes: {}, cells: [] }));
    await expect(runExperiment(tiny(out))).rejects.toThrow(/old[/\\]results\.json: experiment results of format version 1; .* reads version 2/);
  });

  it.each([
    [{ rows: ['supervised', 'fusion'] }, /rows: unknown "supervised"/],
    [{ augSets: [1, 4] }, /augSets: unknown "4"; expected 1, 2, 3/],
    [{ inputs: [] }, /inputs: give at least one/],
    [{ inputs: ['s2', 's2'] }, /inputs: listed twice: s2/],
    [{ lrs: [] }, /lrs: give at least one learning rate/],
    [{ lrs: [1e-3, 0] }, /lrs: learning rates must be positive numbers, got 0/],
    [{ lrs: [1e-3, 1e-3] }, /lrs: listed twice: 0.001/],
    [{ checkpoint: 'first' }, /checkpoint: expected last, best or step-N, got "first"/],
    [{ seed: -1 }, /seed: must be an integer/],
    [{ finetune: { input: 's1' } }, /finetune\.input: set by the experiment/],
    [{ finetune: { lr: 1e-3 } }, /finetune\.lr: set by the experiment .*\(the experiment's lrs sets it\)/],
    [{ finetune: { selection: {} } }, /finetune\.selection: set by the experiment .*labels/],
    [{ pretrain: { strategy: 'augment' } }, /pretrain\.strategy: set by the experiment/],
    [{ pretrain: { aug: 'aug-set-3' } }, /pretrain\.aug: set by the experiment .*augSets/],
    [{ finetune: { scheme: 'single' } }, /finetune\.scheme: the experiment reproduces the research's multi-label table/],
    [{ pretrain: { depth: 18 }, finetune: { depth: 10 } }, /pretrain\.depth \(18\) and finetune\.depth \(10\) differ/],
    [{ pretrain: { epochs: 0 } }, /invalid pretrain config: epochs: must be >= 1/],
    [{ finetune: { freeze: 'stage-9' } }, /invalid finetune config: freeze: must be one of/],
    [{ labels: { kind: 'all' } }, /labels: the 1,024 rows take random or list labels/],
    [{ labels: { kind: 'random', n: 999 } }, /labels: random 999 \(as given\), input s2: random subset: n must be an integer in \[0, \d+\]/],
  ] as [Partial<ExperimentOptions>, RegExp][])('refuses %j before training, naming the field', async (bad, message) => {
    const out = join(root, 'bad');
    await expect(runExperiment({ ...tiny(out), ...bad })).rejects.toThrow(message);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
