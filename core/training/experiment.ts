import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { MultiLabelReport } from '../common/metrics/report-types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { evaluate } from '../inference/evaluate.js';
import { planExperiment, type ExperimentOptions, type ExperimentProgress } from './experiment-plan.js';
import { cellPlace, emptyResults, readResults, writeResults, type ExperimentCell, type SweepEntry } from './experiment-results.js';
import { isMocoRow, RESEARCH_SPLIT, type AugSet, type MocoRow } from '../common/training/research-table.js';
import { csvTable, markdownTable, tableOrder } from './experiment-table.js';
import { runFinetune } from './finetune.js';
import type { FinetuneConfig } from '../common/training/finetune-config.js';
import { runCheckpoint } from '../weights/model-dir.js';
import { runPretrain } from './pretrain.js';
import type { TrainProgress } from '../common/training/progress.js';

export interface ExperimentOutcome {
  outDir: string;
  status: 'completed' | 'cancelled';
  /** Every cell in results.json (also those of earlier calls), in table order. */
  cells: ExperimentCell[];
  /** Cells evaluated by this call (a cell that shares another block's runs is not evaluated again). */
  ran: number;
  results: string;
  table: string;
  csv: string;
  seconds: number;
}

/**
 * The research's results tables, one per aug-set block. A cell finetunes once per learning rate
 * from its row's pretrain (none for the supervised rows; one per block for the fusion rows, one
 * for all blocks for sensor pairs), keeps the rate whose finetune scored best on validation and
 * evaluates only that one on the official test split. A cell whose runs do not depend on the
 * block copies the result of the block that ran them. After every run and cell results.json,
 * table.md and table.csv are rewritten atomically, so a call on the same folder skips finished
 * cells, reuses finished runs and resumes cancelled ones.
 */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentOutcome> {
  const started = Date.now();
  const plan = await planExperiment(opts);
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
  type Report = (phase: ExperimentProgress['phase'], done: number, total: number, extra?: { lr?: number; train?: TrainProgress }) => void;

  /** The row's pretrain, run or resumed unless finished, and the checkpoint its finetunes load; null when cancelled. */
  const pretrained = async (row: MocoRow, augSet: AugSet, report: Report): Promise<ExperimentCell['pretrain']> => {
    const key = plan.pretrainKey(row, augSet);
    const config = plan.pretrain(row, augSet);
    let entry = results.pretrains[key];
    if (entry?.status !== 'completed') {
      if (opts.signal?.aborted) return null;
      const out = await runPretrain(entry ? { resume: at(entry.run) } : config, {
        runsDir,
        signal: opts.signal,
        onProgress: (p) => report('pretrain', p.step, p.totalSteps, { train: p }),
      });
      entry = results.pretrains[key] = { run: inside(out.runDir), status: out.status };
      await save();
      if (out.status === 'cancelled') return null;
    }
    if (!entry.checkpoint) {
      const { ref } = await runCheckpoint(at(entry.run), 'pretrain', plan.settings.checkpoint);
      entry.checkpoint = { file: ref.file, step: ref.step, epoch: ref.epoch, kind: ref.kind };
      await save();
    }
    return { run: entry.run, aug: config.aug, checkpoint: entry.checkpoint };
  };

  /** One finetune of a cell's sweep, run or resumed unless finished; null when cancelled. */
  const finetuned = async (key: string, config: FinetuneConfig, lr: number, report: Report): Promise<SweepEntry | null> => {
    let entry = results.finetunes[key];
    if (entry?.status !== 'completed') {
      if (opts.signal?.aborted) return null;
      const out = await runFinetune(entry ? { resume: at(entry.run) } : config, {
        runsDir,
        signal: opts.signal,
        onProgress: (p) => report('finetune', p.step, p.totalSteps, { lr, train: p }),
      });
      entry = results.finetunes[key] = { run: inside(out.runDir), status: out.status, ...(out.best ? { best: out.best } : {}) };
      await save();
      if (out.status === 'cancelled') return null;
    }
    if (!entry.best) throw new Error(`${at(entry.run)}: a completed finetune without a best validation score`);
    return { lr, run: entry.run, validation: entry.best.value, step: entry.best.step };
  };

  const grid = plan.augSets.flatMap((augSet) => plan.rows.flatMap((row) => plan.inputs.map((input) => ({ augSet, row, input }))));
  for (const [i, place] of grid.entries()) {
    const { augSet, row, input } = place;
    if (results.cells.some((c) => cellPlace(c) === cellPlace(place))) continue;
    const key = plan.cellKey(augSet, row, input);
    const twin = results.cells.find((c) => c.key === key);
    if (twin) {
      results.cells.push({ ...twin, augSet });
      await save();
      continue;
    }
    if (opts.signal?.aborted) return finish('cancelled');
    const report: Report = (phase, done, total, extra) =>
      opts.onProgress?.({ cell: i + 1, cells: grid.length, augSet, row, input, phase, done, total, ...extra });

    const pretrain = isMocoRow(row) ? await pretrained(row, augSet, report) : null;
    if (isMocoRow(row) && pretrain === null) return finish('cancelled');
    const ref = pretrain && { run: at(pretrain.run), ...pretrain.checkpoint };
    const sweep: SweepEntry[] = [];
    for (const lr of plan.lrs) {
      const entry = await finetuned(plan.finetuneKey(key, lr), plan.finetune(row, input, lr, ref), lr, report);
      if (entry === null) return finish('cancelled');
      sweep.push(entry);
    }

    // The rate is chosen on validation only; the test split scores the chosen finetune alone.
    const chosen = sweep.reduce((best, s) => (s.validation > best.validation ? s : best));
    const evaluation = await evaluate({
      model: at(chosen.run),
      catalog: plan.settings.catalog,
      split: RESEARCH_SPLIT,
      batchSize: plan.settings.finetune.batchSize as number,
      onProgress: (done, total) => report('evaluate', done, total, { lr: chosen.lr }),
    });
    const m = evaluation.overall as MultiLabelReport;
    results.cells.push({
      augSet, row, input, key,
      jaccard_samples: m.jaccard_samples, f1_micro: m.f1_micro, f1_macro: m.f1_macro, map_macro: m.map_macro, n: m.n,
      lr: chosen.lr, val_f1_micro: chosen.validation, sweep,
      pretrain, finetune_run: chosen.run,
    });
    await save();
    ran++;
  }
  return finish('completed');
}
