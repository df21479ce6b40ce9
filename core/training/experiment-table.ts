import { csvCell } from '../util/csv.js';
import { HEADLINE_METRICS, METRIC_TITLES } from '../common/metrics/report-types.js';
import { INPUT_TITLES } from '../common/training/finetune-config.js';
import { AUG_SETS, comparePlaces, rowTitle, tableLayout } from '../common/training/research-table.js';
import type { ExperimentCell, ExperimentResults } from './experiment-results.js';

/** The experiment reproduces the draft's multi-label table. */
const METRIC = HEADLINE_METRICS.multi;

/** One line per (block, row, input): the test scores, the rate chosen on validation, the runs behind it. */
const CSV_FIELDS: Record<string, (c: ExperimentCell) => string | number | null> = {
  aug_set: (c) => c.augSet,
  row: (c) => c.row,
  input: (c) => c.input,
  jaccard_samples: (c) => c.jaccard_samples,
  f1_micro: (c) => c.f1_micro,
  f1_macro: (c) => c.f1_macro,
  map_macro: (c) => c.map_macro,
  n: (c) => c.n,
  lr: (c) => c.lr,
  val_f1_micro: (c) => c.val_f1_micro,
  pretrain_step: (c) => c.pretrain?.checkpoint.step ?? null,
  pretrain_run: (c) => c.pretrain?.run ?? null,
  finetune_run: (c) => c.finetune_run,
};
export const CSV_COLUMNS = Object.keys(CSV_FIELDS);

/** Cells in table order: blocks, then rows and columns as in the research. */
export function tableOrder(cells: readonly ExperimentCell[]): ExperimentCell[] {
  return [...cells].sort((a, b) => AUG_SETS.indexOf(a.augSet) - AUG_SETS.indexOf(b.augSet) || comparePlaces(a, b));
}

/**
 * The draft's layout: per aug set with results a table with one line per row that has a result,
 * a column per input (the headline metric with 4 decimals, "-" where not run) and a Note (shared
 * runs, pretrain checkpoint, labels, chosen learning rates); then the settings.
 */
export function markdownTable(results: ExperimentResults): string {
  const blocks = AUG_SETS.filter((a) => results.cells.some((c) => c.augSet === a)).map((augSet) => {
    const { columns, rows } = tableLayout(results.cells.filter((c) => c.augSet === augSet));
    return [
      `### aug set ${augSet}`,
      '',
      `| aug set ${augSet} | ${columns.map((c) => c.title).join(' | ')} | Note |`,
      `|---|${columns.map(() => '---:').join('|')}|---|`,
      ...rows.map((row) => {
        const values = columns.map((c) => row.cells[c.input]?.[METRIC].toFixed(4) ?? '-');
        const ofRow = columns.flatMap((c) => row.cells[c.input] ?? []);
        return `| ${row.title} | ${values.join(' | ')} | ${rowNote(ofRow, results).replaceAll('|', '\\|')} |`;
      }),
    ].join('\n');
  });
  return `${[...blocks, settingsNote(results)].join('\n\n')}\n`;
}

/** RFC 4180, CRLF. */
export function csvTable(cells: readonly ExperimentCell[]): string {
  const lines = [CSV_COLUMNS.join(','), ...tableOrder(cells).map((c) => Object.values(CSV_FIELDS).map((f) => csvCell(f(c))).join(','))];
  return lines.join('\r\n') + '\r\n';
}

/** The cells of one row in one block share their pretrain and labels; the rates are per column. */
function rowNote(cells: readonly ExperimentCell[], results: ExperimentResults): string {
  const [first] = cells;
  const pretrain = first.pretrain;
  const runs =
    pretrain === null
      ? 'no pretraining, same runs in every aug set'
      : pretrain.aug === 'none'
        ? `pretrain without augmentation (the other sensor is the view), same runs in every aug set; ${pretrain.checkpoint.kind} checkpoint, step ${pretrain.checkpoint.step}`
        : `pretrain with ${pretrain.aug}; ${pretrain.checkpoint.kind} checkpoint, step ${pretrain.checkpoint.step}`;
  const labels = first.row === 'supervised-full' ? 'all train labels' : results.settings.labels.note;
  const lrs = new Set(cells.map((c) => c.lr));
  const lr = lrs.size === 1 ? `lr ${rate(first.lr)}` : `lr ${cells.map((c) => `${INPUT_TITLES[c.input]} ${rate(c.lr)}`).join(', ')}`;
  return [runs, labels, lr].join('; ');
}

function settingsNote(results: ExperimentResults): string {
  const { pretrain: p, finetune: f, seed, lrs, checkpoint } = results.settings;
  const n = [...new Set(results.cells.map((c) => c.n))].join('/');
  return [
    `${capitalised(METRIC_TITLES[METRIC])} (the draft's accuracy), multi-label, ${f.classes} classes, threshold 0.5, official test split (n = ${n}).`,
    `Each cell finetunes once per lr in {${lrs.map(rate).join(', ')}} and reports the one whose best validation micro-F1 is highest, evaluated on test from that best checkpoint.`,
    `ResNet-${f.depth}. Pretrain: epochs ${p.epochs}, batch ${p.batchSize}, ${p.size} px, queue ${p.queueSize}, key momentum ${p.keyMomentum}; finetunes from its ${checkpoint} checkpoint.`,
    `Finetune: epochs ${f.epochs}, batch ${f.batchSize}, ${f.size} px, freeze ${f.freeze}; labels: ${rowTitle('supervised-full')} all train patches, the other rows ${results.settings.labels.note}. Seed ${seed}.`,
  ].join(' ');
}

function capitalised(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** 1e-3 rather than 0.001, as the research writes rates. */
function rate(lr: number): string {
  return lr.toExponential();
}
