/**
 * Evaluations side by side in the research's layout: one row per start point (supervised, or the
 * MoCo strategy of the pretrain behind the finetune), columns s1 | s2 | s1/s2. The row and column
 * of an evaluation come from the jobs that made it: evaluate -> finetune (input) -> pretrain
 * (strategy). The service stores those references as folders (run directories, export
 * destinations), so a job is found by its id or by the folder it wrote; an evaluation of a model
 * from elsewhere has no such chain and is not placed.
 */
import type { EvaluateJobOptions, ExportJobOptions, FinetuneJobOptions, JobInfo, PretrainJobOptions } from '#common/jobs/job-spec.js';
import type { PairStrategy } from '#common/training/pair-strategies.js';
import type { EvaluationSummary } from '#common/api/contract.js';
import type { FinetuneInput } from '#common/training/finetune-config.js';
import { STRATEGY_TITLES } from '#common/training/pair-strategies.js';
import { INPUTS, STRATEGIES } from '../training/presets.js';

export type TableRowKey = 'supervised' | PairStrategy;

export interface TableCell {
  value: number;
  metric: string;
  /** The evaluate job. */
  job: string;
}

export interface TableRow {
  key: TableRowKey;
  title: string;
  cells: Record<FinetuneInput, TableCell | null>;
}

export interface ResearchTable {
  columns: FinetuneInput[];
  rows: TableRow[];
  /** Evaluations whose model is not a finetune job of this app. */
  unplaced: number;
}

const ROW_ORDER: TableRowKey[] = ['supervised', ...STRATEGIES];

type JobLookup = (ref: string) => JobInfo | undefined;

/** A job by its id or its folder; an export stands for the run it exported. */
function jobLookup(jobs: readonly JobInfo[]): JobLookup {
  const byRef = new Map<string, JobInfo>();
  for (const j of jobs) {
    byRef.set(j.id, j);
    if (j.runDir) byRef.set(j.runDir, j);
    if (j.kind === 'export') byRef.set((j.spec.options as ExportJobOptions).dest, j);
  }
  return (ref) => {
    const job = byRef.get(ref);
    return job?.kind === 'export' ? byRef.get((job.spec.options as ExportJobOptions).run) : job;
  };
}

function placeOf(summary: EvaluationSummary, find: JobLookup): { row: TableRowKey; input: FinetuneInput } | null {
  const evaluation = find(summary.job);
  const model = evaluation ? (evaluation.spec.options as EvaluateJobOptions).model : summary.model;
  const finetune = find(model);
  if (!finetune || finetune.kind !== 'finetune') return null;
  const options = finetune.spec.options as FinetuneJobOptions;
  const input = options.input ?? 's2';
  if (options.pretrained === undefined) return { row: 'supervised', input };
  const pretrain = find(options.pretrained);
  if (!pretrain || pretrain.kind !== 'pretrain') return null;
  return { row: (pretrain.spec.options as PretrainJobOptions).strategy ?? 'sensor-pairs', input };
}

/**
 * Rows with at least one result, in the research's order; the newest evaluation on the official
 * test split fills a cell (the research reports only those).
 */
export function researchTable(summaries: readonly EvaluationSummary[], jobs: readonly JobInfo[]): ResearchTable {
  const find = jobLookup(jobs);
  const cells = new Map<string, TableCell & { endedAt: string }>();
  let unplaced = 0;
  for (const s of summaries) {
    if (s.split !== 'test') continue;
    const place = placeOf(s, find);
    if (!place) {
      unplaced++;
      continue;
    }
    const key = `${place.row}/${place.input}`;
    const endedAt = s.endedAt ?? '';
    const held = cells.get(key);
    if (!held || held.endedAt < endedAt) cells.set(key, { value: s.headline.value, metric: s.headline.metric, job: s.job, endedAt });
  }
  const rows = ROW_ORDER.filter((row) => INPUTS.some((i) => cells.has(`${row}/${i}`))).map((row) => ({
    key: row,
    title: row === 'supervised' ? 'Supervised' : `${STRATEGY_TITLES[row]} (MoCo)`,
    cells: Object.fromEntries(
      INPUTS.map((i) => {
        const c = cells.get(`${row}/${i}`);
        return [i, c ? { value: c.value, metric: c.metric, job: c.job } : null];
      }),
    ) as Record<FinetuneInput, TableCell | null>,
  }));
  return { columns: [...INPUTS], rows, unplaced };
}
