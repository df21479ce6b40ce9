import { basename } from 'node:path';
import { csvCell } from '../util/csv.js';
import { FINETUNE_INPUTS, type FinetuneInput } from './finetune-config.js';
import { EXPERIMENT_ROWS, type ExperimentCell, type ExperimentResults, type ExperimentRow } from './experiment-results.js';

/** The research's row names ("aug set 2" table of the draft). */
export const ROW_TITLES: Record<ExperimentRow, string> = {
  supervised: 'Supervised',
  'sensor-pairs': 'Sensor-based pairs (MoCo, 1x1 blocks)',
  'all-fusion': 'All fusion (MoCo)',
  'partial-fusion': 'Partial fusion (MoCo)',
  'optional-fusion': 'Optional fusion (MoCo)',
};

const COLUMN_TITLES: Record<FinetuneInput, string> = { s1: 's1', s2: 's2', s1s2: 's1/s2' };

export const CSV_COLUMNS = ['row', 'input', 'jaccard_samples', 'f1_micro', 'f1_macro', 'map_macro', 'n', 'pretrain_run', 'finetune_run'] as const;

/** Cells in table order: rows as in the research, then s1, s2, s1s2. */
export function tableOrder(cells: readonly ExperimentCell[]): ExperimentCell[] {
  const rank = (c: ExperimentCell) => EXPERIMENT_ROWS.indexOf(c.row) * FINETUNE_INPUTS.length + FINETUNE_INPUTS.indexOf(c.input);
  return [...cells].sort((a, b) => rank(a) - rank(b));
}

/**
 * The research's layout: one line per row that has a result, columns s1 | s2 | s1/s2, cells the
 * sample-averaged Jaccard with 4 decimals ("-" where not run), then a note with the settings.
 */
export function markdownTable(results: ExperimentResults): string {
  const byKey = new Map(results.cells.map((c) => [`${c.row}/${c.input}`, c]));
  const rows = EXPERIMENT_ROWS.filter((r) => results.cells.some((c) => c.row === r));
  const lines = [
    `| | ${FINETUNE_INPUTS.map((i) => COLUMN_TITLES[i]).join(' | ')} |`,
    `|---|${FINETUNE_INPUTS.map(() => '---:').join('|')}|`,
    ...rows.map((r) => {
      const values = FINETUNE_INPUTS.map((i) => byKey.get(`${r}/${i}`)?.jaccard_samples.toFixed(4) ?? '-');
      return `| ${ROW_TITLES[r]} | ${values.join(' | ')} |`;
    }),
  ];
  return `${lines.join('\n')}\n\n${settingsNote(results)}\n`;
}

/** One line per cell with the headline metrics and the runs behind it (RFC 4180, CRLF). */
export function csvTable(cells: readonly ExperimentCell[]): string {
  const lines = [CSV_COLUMNS.join(','), ...tableOrder(cells).map((c) => CSV_COLUMNS.map((k) => csvCell(c[k])).join(','))];
  return lines.join('\r\n') + '\r\n';
}

function settingsNote(results: ExperimentResults): string {
  const { pretrain: p, finetune: f, seed } = results.settings;
  const n = [...new Set(results.cells.map((c) => c.n))].join('/');
  return [
    `Sample-averaged Jaccard, multi-label, ${f.classes} classes, threshold 0.5, official test split (n = ${n}).`,
    `ResNet-${f.depth}. Pretrain: epochs ${p.epochs}, batch ${p.batchSize}, ${p.size} px, ${p.aug}, queue ${p.queueSize}.`,
    `Finetune: epochs ${f.epochs}, batch ${f.batchSize}, ${f.size} px, lr ${f.lr}, labels ${labelsNote(f.selection)}, freeze ${f.freeze}. Seed ${seed}.`,
  ].join(' ');
}

function labelsNote(selection: unknown): string {
  const subset = (selection as { subset?: { kind: string; n?: number; file?: string } } | undefined)?.subset;
  if (!subset || subset.kind === 'all') return 'all';
  if (subset.kind === 'random') return `random ${subset.n}`;
  if (subset.kind === 'list') return `list ${basename(subset.file ?? '')}`;
  return subset.kind;
}
