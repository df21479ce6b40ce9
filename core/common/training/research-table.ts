/**
 * The research's results table (the draft's "aug set 1"/"aug set 2" tables): one row per start
 * point of a finetune, one column per input, each cell a headline metric on the official test
 * split. The CLI's experiment writes it (core/training/experiment-table.ts) and the app shows its
 * own evaluations in it (renderer/src/lib/results/research-table.ts); both lay it out here so
 * that their rows, order and titles cannot drift apart.
 */
import type { AugPreset } from './augment-presets.js';
import { FINETUNE_DEFAULTS, FINETUNE_INPUTS, INPUT_TITLES, type FinetuneInput } from './finetune-config.js';
import { PAIR_STRATEGIES, STRATEGY_TITLES, type PairStrategy } from './pair-strategies.js';
import { PRETRAIN_DEFAULTS } from './pretrain-config.js';
import type { EvaluationSplit } from '../inference/evaluation.js';
import type { EvaluateJobOptions, ExportJobOptions, FinetuneJobOptions, JobInfo, PretrainJobOptions } from '../jobs/job-spec.js';

/** The research reports scores on the official test split only. */
export const RESEARCH_SPLIT = 'test' satisfies EvaluationSplit;

/** The draft's augmentation sets; block N pretrains its fusion rows with the preset `aug-set-N`. */
export const AUG_SETS = [1, 2, 3] as const;
export type AugSet = (typeof AUG_SETS)[number];

export function augPreset(augSet: AugSet): AugPreset {
  return `aug-set-${augSet}`;
}

/** The draft's rows, in its order: supervised on all train labels and on 1,024, then MoCo from each strategy it pretrains. */
export const EXPERIMENT_ROWS = ['supervised-full', 'supervised-1024', 'sensor-pairs', 'all-fusion', 'partial-fusion', 'optional-fusion'] as const;
export type ExperimentRow = (typeof EXPERIMENT_ROWS)[number];
/** The rows that finetune from a MoCo pretrain of their own strategy. */
export type MocoRow = Extract<ExperimentRow, PairStrategy>;

export function isMocoRow(row: ExperimentRow): row is MocoRow {
  return isStrategy(row);
}

/**
 * The rows the app places its finetune jobs in, by where they started. A job does not say which
 * of the draft's two label sets a supervised finetune stands for, so the app has one supervised
 * row; it has a MoCo row for every strategy, the draft's and the others.
 */
export type StartRow = 'supervised' | PairStrategy;
export type TableRowKey = ExperimentRow | StartRow;

const SUPERVISED_TITLES: Record<Exclude<TableRowKey, PairStrategy>, string> = {
  'supervised-full': 'Supervised (full)',
  'supervised-1024': 'Supervised (1024)',
  supervised: 'Supervised',
};

/** Supervised first, then the draft's MoCo rows in its order, then the strategies it did not pretrain as the training form lists them. */
const ROW_ORDER: readonly TableRowKey[] = [
  ...EXPERIMENT_ROWS.filter((r) => !isMocoRow(r)),
  'supervised',
  ...EXPERIMENT_ROWS.filter(isMocoRow),
  ...(Object.keys(STRATEGY_TITLES) as PairStrategy[]).filter((s) => !(EXPERIMENT_ROWS as readonly string[]).includes(s)),
];

function isStrategy(row: TableRowKey): row is PairStrategy {
  return (PAIR_STRATEGIES as readonly string[]).includes(row);
}

/** A MoCo row is named by its strategy, as the training form names it. */
export function rowTitle(row: TableRowKey): string {
  return isStrategy(row) ? `${STRATEGY_TITLES[row]} (MoCo)` : SUPERVISED_TITLES[row];
}

/** Where a figure sits: its row and its column (the finetune's input). */
export interface TablePlace {
  row: TableRowKey;
  input: FinetuneInput;
}

/** Rows in table order, then columns in input order. */
export function comparePlaces(a: TablePlace, b: TablePlace): number {
  return ROW_ORDER.indexOf(a.row) - ROW_ORDER.indexOf(b.row) || FINETUNE_INPUTS.indexOf(a.input) - FINETUNE_INPUTS.indexOf(b.input);
}

export interface TableRow<C> {
  key: TableRowKey;
  title: string;
  cells: Record<FinetuneInput, C | null>;
}

export interface TableLayout<C> {
  columns: { input: FinetuneInput; title: string }[];
  rows: TableRow<C>[];
}

/**
 * One cell per place (the first given wins). Every input is a column, run or not, so that two
 * tables line up; a row is shown only when it holds a cell.
 */
export function tableLayout<C extends TablePlace>(cells: readonly C[]): TableLayout<C> {
  const rows = ROW_ORDER.filter((row) => cells.some((c) => c.row === row)).map((row) => ({
    key: row,
    title: rowTitle(row),
    cells: Object.fromEntries(FINETUNE_INPUTS.map((i) => [i, cells.find((c) => c.row === row && c.input === i) ?? null])) as Record<FinetuneInput, C | null>,
  }));
  return { columns: FINETUNE_INPUTS.map((input) => ({ input, title: INPUT_TITLES[input] })), rows };
}

export type JobLookup = (ref: string) => JobInfo | undefined;

/**
 * A job by its id or by the folder it wrote: the service stores references between jobs as
 * folders (run directories, export destinations). An export stands for the run it exported.
 */
export function jobLookup(jobs: readonly JobInfo[]): JobLookup {
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

/**
 * The place of an evaluation, from the jobs that made its model: evaluate -> finetune (input) ->
 * pretrain (strategy); options left out are the defaults the job ran with. Null for a model that
 * no finetune job made, or one finetuned from weights no pretrain job made.
 */
export function evaluationPlace(evaluation: { job: string; model: string }, find: JobLookup): { row: StartRow; input: FinetuneInput } | null {
  const evaluate = find(evaluation.job);
  const finetune = find(evaluate ? (evaluate.spec.options as EvaluateJobOptions).model : evaluation.model);
  if (finetune?.kind !== 'finetune') return null;
  const options = finetune.spec.options as FinetuneJobOptions;
  const input = options.input ?? FINETUNE_DEFAULTS.input;
  if (options.pretrained === undefined) return { row: 'supervised', input };
  const pretrain = find(options.pretrained);
  if (pretrain?.kind !== 'pretrain') return null;
  return { row: (pretrain.spec.options as PretrainJobOptions).strategy ?? PRETRAIN_DEFAULTS.strategy, input };
}
