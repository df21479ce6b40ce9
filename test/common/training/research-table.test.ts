import { describe, expect, it } from 'vitest';
import { PAIR_STRATEGIES, STRATEGY_TITLES } from '../../../core/common/training/pair-strategies.js';
import {
  EXPERIMENT_ROWS,
  evaluationPlace,
  isMocoRow,
  jobLookup,
  rowTitle,
  tableLayout,
  type TableRowKey,
} from '../../../core/common/training/research-table.js';
import { jobInfo } from '../../renderer/lib/training/job-fixtures.js';

describe('the research table layout', () => {
  const every: TableRowKey[] = [...PAIR_STRATEGIES, 'supervised', ...EXPERIMENT_ROWS];

  it("orders the rows supervised first, then the draft's MoCo rows in its order, then the other strategies", () => {
    const { rows } = tableLayout(every.map((row) => ({ row, input: 's2' as const })));
    expect(rows.map((r) => r.key)).toEqual([
      'supervised-full', 'supervised-1024', 'supervised',
      'sensor-pairs', 'all-fusion', 'partial-fusion', 'optional-fusion',
      'sensor-pairs+augment', 'augment',
    ]);
    expect(rows.map((r) => r.key).filter((k) => (EXPERIMENT_ROWS as readonly string[]).includes(k))).toEqual([...EXPERIMENT_ROWS]);
  });

  it('names a MoCo row by the title the training form gives its strategy', () => {
    for (const s of PAIR_STRATEGIES) expect(rowTitle(s)).toBe(`${STRATEGY_TITLES[s]} (MoCo)`);
    expect(EXPERIMENT_ROWS.filter((r) => !isMocoRow(r)).map(rowTitle)).toEqual(['Supervised (full)', 'Supervised (1024)']);
    expect(rowTitle('supervised')).toBe('Supervised');
  });

  it('has a column for every input, shows only rows with a cell and keeps the first cell of a place', () => {
    const a = { row: 'all-fusion' as const, input: 's1s2' as const, id: 'a' };
    const b = { ...a, id: 'b' };
    const table = tableLayout([a, b]);
    expect(table.columns.map((c) => c.input)).toEqual(['s1', 's2', 's1s2']);
    expect(table.rows).toEqual([{ key: 'all-fusion', title: 'All fusion (MoCo)', cells: { s1: null, s2: null, s1s2: a } }]);
  });
});

describe('evaluationPlace', () => {
  const jobs = [
    jobInfo('p', 'pretrain', {}, { runDir: '/runs/p' }),
    jobInfo('x', 'export', { run: 'p', formats: ['tfjs'], dest: '/exports/p' }),
    jobInfo('f', 'finetune', { variant: 'moco', pretrained: '/exports/p' }, { runDir: '/runs/f' }),
    jobInfo('g', 'finetune', { variant: 'moco', input: 's1', pretrained: '/elsewhere/weights' }, { runDir: '/runs/g' }),
    jobInfo('e', 'evaluate', { model: 'f' }),
  ];
  const find = jobLookup(jobs);

  it("follows evaluate -> finetune -> pretrain through ids and exports, with the jobs' defaults for options left out", () => {
    expect(evaluationPlace({ job: 'e', model: '/unused' }, find)).toEqual({ row: 'sensor-pairs', input: 's2' });
  });

  it("falls back to the evaluation's model when its job is gone, and places nothing finetuned from weights of no pretrain job", () => {
    expect(evaluationPlace({ job: 'gone', model: '/runs/f' }, find)).toEqual({ row: 'sensor-pairs', input: 's2' });
    expect(evaluationPlace({ job: 'gone', model: '/runs/g' }, find)).toBeNull();
    expect(evaluationPlace({ job: 'gone', model: '/runs/p' }, find)).toBeNull();
  });
});
