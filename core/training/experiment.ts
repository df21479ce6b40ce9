import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { MultiLabelReport } from '../metrics/report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { evaluate } from './evaluate.js';
import {
  cellKey,
  emptyResults,
  EXPERIMENT_ROWS,
  readResults,
  writeResults,
  type ExperimentCell,
  type ExperimentRow,
  type ExperimentSettings,
} from './experiment-results.js';
import { csvTable, markdownTable, tableOrder } from './experiment-table.js';
import { FINETUNE_INPUTS, resolveFinetuneConfig, type FinetuneConfig, type FinetuneInput, type FinetuneVariant } from './finetune-config.js';
import { runFinetune } from './finetune.js';
import { resolvePretrainConfig, type PretrainConfig } from './pretrain-config.js';
import { runPretrain } from './pretrain.js';
import type { TrainProgress } from './progress.js';

export interface ExperimentOptions {
  catalog: string;
  /** Receives results.json, table.md, table.csv and runs/. */
  outDir: string;
  /** Default: all five, in the research's order. */
  rows?: ExperimentRow[];
  /** Default: s1, s2, s1s2. */
  inputs?: FinetuneInput[];
  /** Shared by every row's pretrain; the experiment sets catalog, strategy, inputBlocks and seed. */
  pretrain: Partial<PretrainConfig>;
  /** Shared by every cell's finetune; the experiment sets catalog, input, variant, pretrained and seed. */
  finetune: Partial<FinetuneConfig>;
  seed: number;
  /** Aborting stops the current run after its step (it resumes on the next call) and resolves. */
  signal?: AbortSignal;
  onProgress?(p: ExperimentProgress): void;
}

export interface ExperimentProgress {
  /** 1-based index of the cell being worked on, of `cells` in this call's grid. */
  cell: number;
  cells: number;
  row: ExperimentRow;
  input: FinetuneInput;
  /** A row's pretrain runs while its first unfinished cell is worked on. */
  phase: 'pretrain' | 'finetune' | 'evaluate';
  /** Steps (training) or patches (evaluation) done in this phase, of `total`. */
  done: number;
  total: number;
  train?: TrainProgress;
}

export interface ExperimentOutcome {
  outDir: string;
  status: 'completed' | 'cancelled';
  /** Every cell in results.json (also those of earlier calls), in table order. */
  cells: ExperimentCell[];
  /** Cells evaluated by this call. */
  ran: number;
  results: string;
  table: string;
  csv: string;
  seconds: number;
}

/** The validated settings and grid of an experiment, and the run configs of its rows and cells. */
export interface ExperimentPlan {
  settings: ExperimentSettings;
  rows: ExperimentRow[];
  inputs: FinetuneInput[];
  pretrain(row: Exclude<ExperimentRow, 'supervised'>): PretrainConfig;
  finetune(row: ExperimentRow, input: FinetuneInput, pretrained: string | null): FinetuneConfig;
}

const PRETRAIN_SET: readonly string[] = ['catalog', 'strategy', 'inputBlocks', 'sensor', 'seed'];
const FINETUNE_SET: readonly string[] = ['catalog', 'input', 'variant', 'pretrained', 'seed'];

/** The finetuning variant of each row: blocks for the sensor-pair pretrain, 12 channels otherwise. */
const ROW_VARIANT: Record<ExperimentRow, FinetuneVariant> = {
  supervised: 'supervised',
  'sensor-pairs': 'moco-1x1',
  'all-fusion': 'moco',
  'partial-fusion': 'moco',
  'optional-fusion': 'moco',
};

/** Checks the options (errors name the field) and derives every run config before anything trains. */
export function planExperiment(opts: ExperimentOptions): ExperimentPlan {
  if (typeof opts.catalog !== 'string' || opts.catalog === '') throw new Error('catalog: give the catalog file of the data set');
  if (typeof opts.outDir !== 'string' || opts.outDir === '') throw new Error('outDir: give the folder for results and runs');
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) throw new Error(`seed: must be an integer in 0..4294967295, got ${opts.seed}`);
  const rows = gridAxis('rows', opts.rows, EXPERIMENT_ROWS);
  const inputs = gridAxis('inputs', opts.inputs, FINETUNE_INPUTS);
  for (const [part, given, fixed] of [['pretrain', opts.pretrain, PRETRAIN_SET], ['finetune', opts.finetune, FINETUNE_SET]] as const) {
    const clash = fixed.filter((k) => (given as Record<string, unknown>)[k] !== undefined);
    if (clash.length > 0) throw new Error(`${part}.${clash[0]}: set by the experiment for each row and cell; leave it out`);
  }
  if (opts.finetune.scheme !== undefined && opts.finetune.scheme !== 'multi') {
    throw new Error(`finetune.scheme: the experiment reproduces the research's multi-label table; got "${opts.finetune.scheme}"`);
  }
  const { pretrain: p, finetune: f } = opts;
  if (p.depth !== undefined && f.depth !== undefined && p.depth !== f.depth) {
    throw new Error(`pretrain.depth (${p.depth}) and finetune.depth (${f.depth}) differ: each finetune starts from its row's pretrained backbone`);
  }
  const depth = f.depth ?? p.depth;
  const catalog = resolve(opts.catalog);
  const { seed } = opts;
  const pretrainBase = { ...p, ...(depth !== undefined ? { depth } : {}), catalog, seed, selection: p.selection ?? { split: 'train' as const, seed } };
  const finetuneBase = { ...f, ...(depth !== undefined ? { depth } : {}), catalog, seed };

  const pretrain = (row: Exclude<ExperimentRow, 'supervised'>) =>
    resolvePretrainConfig({ ...pretrainBase, strategy: row, inputBlocks: row === 'sensor-pairs' });
  const finetune = (row: ExperimentRow, input: FinetuneInput, pretrained: string | null) =>
    resolveFinetuneConfig({ ...finetuneBase, input, variant: ROW_VARIANT[row], ...(pretrained !== null ? { pretrained } : {}) });
  // The strategy-independent parts, resolved once so that bad values fail before any training.
  const strip = (config: object, keys: readonly string[]) => Object.fromEntries(Object.entries(config).filter(([k]) => !keys.includes(k)));
  const settings: ExperimentSettings = {
    catalog,
    seed,
    pretrain: strip(pretrain('all-fusion'), PRETRAIN_SET),
    finetune: strip(finetune('supervised', 's2', null), FINETUNE_SET),
  };
  return { settings, rows, inputs, pretrain, finetune };
}

function gridAxis<T extends string>(field: string, given: readonly T[] | undefined, allowed: readonly T[]): T[] {
  if (given === undefined) return [...allowed];
  if (!Array.isArray(given) || given.length === 0) throw new Error(`${field}: give at least one of ${allowed.join(', ')}`);
  const unknown = given.filter((g) => !allowed.includes(g));
  if (unknown.length > 0) throw new Error(`${field}: unknown "${unknown[0]}"; expected ${allowed.join(', ')}`);
  if (new Set(given).size !== given.length) throw new Error(`${field}: listed twice: ${given.find((g, i) => given.indexOf(g) !== i)}`);
  return allowed.filter((a) => given.includes(a));
}

/**
 * The research's results table: for each row one MoCo pretrain (none for supervised) shared by
 * its columns, then per cell one finetune and an evaluation on the official test split. After
 * every run and cell results.json, table.md and table.csv are rewritten atomically, so a call on
 * the same folder skips finished cells, reuses finished pretrains and resumes cancelled runs.
 */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentOutcome> {
  const started = Date.now();
  const plan = planExperiment(opts);
  const outDir = resolve(opts.outDir);
  const runsDir = join(outDir, 'runs');
  const paths = { results: join(outDir, 'results.json'), table: join(outDir, 'table.md'), csv: join(outDir, 'table.csv') };
  await mkdir(outDir, { recursive: true });
  const results = (await readResults(paths.results, plan.settings)) ?? emptyResults(plan.settings);
  const inside = (dir: string) => relative(outDir, dir);
  const at = (rel: string) => resolve(outDir, rel);
  const save = async () => {
    results.cells = tableOrder(results.cells);
    await writeResults(paths.results, results);
    await writeFileAtomic(paths.table, markdownTable(results));
    await writeFileAtomic(paths.csv, csvTable(results.cells));
  };
  let ran = 0;
  const finish = (status: ExperimentOutcome['status']): ExperimentOutcome => ({
    outDir, status, cells: results.cells, ran, ...paths, seconds: (Date.now() - started) / 1000,
  });

  const grid = plan.rows.flatMap((row) => plan.inputs.map((input) => ({ row, input })));
  for (const [i, { row, input }] of grid.entries()) {
    if (results.cells.some((c) => c.row === row && c.input === input)) continue;
    if (opts.signal?.aborted) return finish('cancelled');
    const report = (phase: ExperimentProgress['phase'], done: number, total: number, train?: TrainProgress) =>
      opts.onProgress?.({ cell: i + 1, cells: grid.length, row, input, phase, done, total, ...(train ? { train } : {}) });

    let pretrained: string | null = null;
    if (row !== 'supervised') {
      const entry = results.pretrains[row];
      if (entry?.status !== 'completed') {
        const out = await runPretrain(plan.pretrain(row), {
          runsDir,
          ...(entry ? { resume: at(entry.run) } : {}),
          signal: opts.signal,
          onProgress: (p) => report('pretrain', p.step, p.totalSteps, p),
        });
        results.pretrains[row] = { run: inside(out.runDir), status: out.status };
        await save();
        if (out.status === 'cancelled') return finish('cancelled');
      }
      pretrained = results.pretrains[row]!.run;
    }

    const key = cellKey(row, input);
    const entry = results.finetunes[key];
    if (entry?.status !== 'completed') {
      const out = await runFinetune(plan.finetune(row, input, pretrained === null ? null : at(pretrained)), {
        runsDir,
        ...(entry ? { resume: at(entry.run) } : {}),
        signal: opts.signal,
        onProgress: (p) => report('finetune', p.step, p.totalSteps, p),
      });
      results.finetunes[key] = { run: inside(out.runDir), status: out.status };
      await save();
      if (out.status === 'cancelled') return finish('cancelled');
    }

    const finetuned = results.finetunes[key].run;
    const evaluation = await evaluate({
      model: at(finetuned),
      catalog: plan.settings.catalog,
      split: 'test',
      batchSize: plan.settings.finetune.batchSize as number,
      onProgress: (done, total) => report('evaluate', done, total),
    });
    const m = evaluation.overall as MultiLabelReport;
    results.cells.push({
      row, input,
      jaccard_samples: m.jaccard_samples, f1_micro: m.f1_micro, f1_macro: m.f1_macro, map_macro: m.map_macro, n: m.n,
      pretrain_run: pretrained, finetune_run: finetuned,
    });
    await save();
    ran++;
  }
  return finish('completed');
}
