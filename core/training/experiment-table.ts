import { csvCell } from '../util/csv.js';
import { FINETUNE_INPUTS, type FinetuneInput } from '../common/training/finetune-config.js';
import { AUG_SETS, EXPERIMENT_ROWS, type ExperimentCell, type ExperimentResults, type ExperimentRow } from './experiment-results.js';

/** The research's row names ("aug set 1"/"aug set 2" tables of the draft). */
export const ROW_TITLES: Record<ExperimentRow, string> = {
  'supervised-full': 'Supervised (full)',
  'supervised-1024': 'Supervised (1024)',
  'sensor-pairs': 'Sensor-based pairs (MoCo, 1x1 blocks)',
  'all-fusion': 'All fusion (MoCo)',
  'partial-fusion': 'Partial fusion (MoCo)',
  'optional-fusion': 'Optional fusion (MoCo)',
};

const COLUMN_TITLES: Record<FinetuneInput, string> = { s1: 's1', s2: 's2', s1s2: 's1/s2' };

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

/** Cells in table order: blocks, rows as in the research, then s1, s2, s1s2. */
export function tableOrder(cells: readonly ExperimentCell[]): ExperimentCell[] {
  const rank = (c: ExperimentCell) =>
    (AUG_SETS.indexOf(c.augSet) * EXPERIMENT_ROWS.length + EXPERIMENT_ROWS.indexOf(c.row)) * FINETUNE_INPUTS.length + FINETUNE_INPUTS.indexOf(c.input);
  return [...cells].sort((a, b) => rank(a) - rank(b));
}

/**
 * The draft's layout: per aug set with results a table with one line per row that has a result,
 * columns s1 | s2 | s1/s2 (the sample-averaged Jaccard with 4 decimals, "-" where not run) and a
 * Note (shared runs, pretrain checkpoint, labels, chosen learning rates); then the settings.
 */
export function markdownTable(results: ExperimentResults): string {
  const blocks = AUG_SETS.filter((a) => results.cells.some((c) => c.augSet === a)).map((augSet) => {
    const cells = results.cells.filter((c) => c.augSet === augSet);
    const rows = EXPERIMENT_ROWS.filter((r) => cells.some((c) => c.row === r));
    return [
      `### aug set ${augSet}`,
      '',
      `| aug set ${augSet} | ${FINETUNE_INPUTS.map((i) => COLUMN_TITLES[i]).join(' | ')} | Note |`,
      `|---|${FINETUNE_INPUTS.map(() => '---:').join('|')}|---|`,
      ...rows.map((r) => {
        const ofRow = cells.filter((c) => c.row === r);
        const values = FINETUNE_INPUTS.map((i) => ofRow.find((c) => c.input === i)?.jaccard_samples.toFixed(4) ?? '-');
        return `| ${ROW_TITLES[r]} | ${values.join(' | ')} | ${rowNote(ofRow, results).replaceAll('|', '\\|')} |`;
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
  const lr = lrs.size === 1 ? `lr ${rate(first.lr)}` : `lr ${cells.map((c) => `${COLUMN_TITLES[c.input]} ${rate(c.lr)}`).join(', ')}`;
  return [runs, labels, lr].join('; ');
}

function settingsNote(results: ExperimentResults): string {
  const { pretrain: p, finetune: f, seed, lrs, checkpoint } = results.settings;
  const n = [...new Set(results.cells.map((c) => c.n))].join('/');
  return [
    `Sample-averaged Jaccard (the draft's accuracy), multi-label, ${f.classes} classes, threshold 0.5, official test split (n = ${n}).`,
    `Each cell finetunes once per lr in {${lrs.map(rate).join(', ')}} and reports the one whose best validation micro-F1 is highest, evaluated on test from that best checkpoint.`,
    `ResNet-${f.depth}. Pretrain: epochs ${p.epochs}, batch ${p.batchSize}, ${p.size} px, queue ${p.queueSize}, key momentum ${p.keyMomentum}; finetunes from its ${checkpoint} checkpoint.`,
    `Finetune: epochs ${f.epochs}, batch ${f.batchSize}, ${f.size} px, freeze ${f.freeze}; labels: Supervised (full) all train patches, the other rows ${results.settings.labels.note}. Seed ${seed}.`,
  ].join(' ');
}

/** 1e-3 rather than 0.001, as the research writes rates. */
function rate(lr: number): string {
  return lr.toExponential();
}
