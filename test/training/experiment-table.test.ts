import { describe, expect, it } from 'vitest';
import type { EvaluationSummary } from '../../core/common/api/contract.js';
import type { FinetuneInput } from '../../core/common/training/finetune-config.js';
import type { ExperimentCell, ExperimentResults } from '../../core/training/experiment-results.js';
import type { ExperimentRow } from '../../core/common/training/research-table.js';
import { csvTable, markdownTable, tableOrder } from '../../core/training/experiment-table.js';
import { researchTable } from '../../renderer/src/lib/results/research-table.js';
import { jobInfo } from '../renderer/lib/training/job-fixtures.js';

function cell(row: ExperimentRow, input: FinetuneInput, jaccard: number, augSet: 1 | 2 = 1): ExperimentCell {
  const pretrain = row.startsWith('supervised') ? null : { run: `runs/${row}`, aug: 'aug-set-1' as const, checkpoint: { file: 'c', step: 8, epoch: 1, kind: 'last' as const } };
  return {
    augSet, row, input, key: `${row}/${input}`,
    jaccard_samples: jaccard, f1_micro: 0.5, f1_macro: 0.4, map_macro: 0.3, n: 9,
    lr: 1e-3, val_f1_micro: 0.6, sweep: [{ lr: 1e-3, run: `runs/f-${row}-${input}`, validation: 0.6, step: 4 }],
    pretrain, finetune_run: `runs/f-${row}-${input}`,
  };
}

// The same runs twice: as the CLI's experiment records them, and as the app's jobs and evaluations.
const figures: [ExperimentRow, FinetuneInput, number][] = [
  ['optional-fusion', 's2', 0.61],
  ['sensor-pairs', 's1', 0.31],
  ['supervised-full', 's2', 0.6],
  ['sensor-pairs', 's1s2', 0.55],
];

const results: ExperimentResults = {
  format: 'sen12ms-studio.experiment-results',
  version: 2,
  settings: {
    catalog: '/data/catalog.sqlite', seed: 7, lrs: [1e-3], checkpoint: 'last',
    labels: { subsets: { s1: { kind: 'all' }, s2: { kind: 'all' }, s1s2: { kind: 'all' } }, note: 'random 4 (as given)' },
    pretrain: { epochs: 1, batchSize: 4, size: 16, queueSize: 8, keyMomentum: 0.99 },
    finetune: { classes: 10, depth: 10, epochs: 1, batchSize: 4, size: 16, freeze: 'none' },
  },
  pretrains: {},
  finetunes: {},
  cells: figures.map(([row, input, v]) => cell(row, input, v)),
};

const jobs = [
  jobInfo('p-sensor', 'pretrain', { strategy: 'sensor-pairs' }, { runDir: '/runs/p1' }),
  jobInfo('p-optional', 'pretrain', { strategy: 'optional-fusion' }, { runDir: '/runs/p2' }),
  ...figures.flatMap(([row, input], i) => [
    jobInfo(`f${i}`, 'finetune', { input, ...(row === 'supervised-full' ? {} : { pretrained: row === 'sensor-pairs' ? '/runs/p1' : '/runs/p2' }) }),
    jobInfo(`e${i}`, 'evaluate', { model: `f${i}` }),
  ]),
];
const summaries: EvaluationSummary[] = figures.map(([, , value], i) => ({
  job: `e${i}`, dataset: 'd', model: 'unused', split: 'test', headline: { metric: 'jaccard_samples', value }, checkpoint: null, endedAt: null,
}));

/** The lines of the first table in table.md, cells trimmed, without the Note. */
function markdownRows(md: string): string[][] {
  const lines = md.split('\n').filter((l) => l.startsWith('| '));
  return lines.map((l) => l.split('|').slice(1, -2).map((c) => c.trim()));
}

describe('the research table of the CLI and of the app', () => {
  const cli = markdownRows(markdownTable(results));
  const app = researchTable(summaries, jobs);
  const appRows = app.rows.map((r) => [r.title, ...app.columns.map((c) => r.cells[c.input]?.value.toFixed(4) ?? '-')]);

  it('give the same columns, and the same rows in the same order with the same figures', () => {
    expect(cli[0].slice(1)).toEqual(app.columns.map((c) => c.title));
    expect(cli.slice(1).map((r) => r[0])).toEqual(['Supervised (full)', 'Sensor pairs: S1/S2 of one place (MoCo)', 'Optional fusion (MoCo)']);
    // The app cannot tell the draft's two supervised label sets apart: its one supervised row stands for either.
    expect(appRows[0][0]).toBe('Supervised');
    expect(appRows.map((r) => r.slice(1))).toEqual(cli.slice(1).map((r) => r.slice(1)));
    expect(appRows.slice(1)).toEqual(cli.slice(2));
  });

  it('names the figure and the columns in the notes as the app does', () => {
    const md = markdownTable({ ...results, cells: [...results.cells, { ...cell('sensor-pairs', 's2', 0.5), lr: 1e-4 }] });
    expect(md).toContain('lr S1 (SAR) 1e-3, S2 (optical) 1e-4, S1 + S2 1e-3 |');
    expect(md).toContain("Sample-averaged Jaccard (the draft's accuracy), multi-label");
    expect(md).toContain('labels: Supervised (full) all train patches, the other rows random 4 (as given).');
  });

  it('orders cells and CSV lines by block, then row and column as the tables do', () => {
    const cells = [cell('all-fusion', 's1', 0.5, 2), ...results.cells];
    expect(tableOrder(cells).map((c) => `${c.augSet}/${c.row}/${c.input}`)).toEqual([
      '1/supervised-full/s2', '1/sensor-pairs/s1', '1/sensor-pairs/s1s2', '1/optional-fusion/s2', '2/all-fusion/s1',
    ]);
    expect(csvTable(cells).split('\r\n')[1]).toMatch(/^1,supervised-full,s2,0\.6,/);
  });
});
