import { describe, expect, it } from 'vitest';
import type { EvaluationSummary } from '../../../../core/common/api/contract.js';
import { researchTable } from '../../../../renderer/src/lib/results/research-table.js';
import { jobInfo } from '../training/job-fixtures.js';

function summary(job: string, value: number, endedAt: string, split = 'test'): EvaluationSummary {
  return { job, dataset: 'd', model: 'unused', split, headline: { metric: 'jaccard_samples', value }, checkpoint: null, endedAt };
}

// As the service stores them: references between jobs resolved to the folders the jobs wrote.
const jobs = [
  jobInfo('p-sensor', 'pretrain', { strategy: 'sensor-pairs' }, { runDir: '/runs/p1' }),
  jobInfo('p-partial', 'pretrain', { strategy: 'partial-fusion' }, { runDir: '/runs/p2' }),
  jobInfo('f-sup-s2', 'finetune', { variant: 'supervised', input: 's2' }, { runDir: '/runs/f1' }),
  jobInfo('f-moco-s1s2', 'finetune', { variant: 'moco-1x1', input: 's1s2', pretrained: '/runs/p1' }, { runDir: '/runs/f2' }),
  jobInfo('f-partial-s1', 'finetune', { variant: 'moco', input: 's1', pretrained: '/runs/p2' }, { runDir: '/runs/f3' }),
  jobInfo('x-partial', 'export', { run: '/runs/f3', formats: ['tfjs'], dest: '/exports/x' }),
  jobInfo('e1', 'evaluate', { model: '/runs/f1' }),
  jobInfo('e2', 'evaluate', { model: '/runs/f2' }),
  jobInfo('e3', 'evaluate', { model: '/exports/x' }),
  jobInfo('e4', 'evaluate', { model: 'f-sup-s2' }),
  jobInfo('e5', 'evaluate', { model: '/elsewhere/some-model' }),
  jobInfo('e6', 'evaluate', { model: '/runs/f1', split: 'val' }),
];

describe('researchTable', () => {
  const table = researchTable(
    [
      summary('e1', 0.61, '2026-01-01T10:00:00Z'),
      summary('e2', 0.67, '2026-01-01T10:00:00Z'),
      summary('e3', 0.47, '2026-01-01T10:00:00Z'),
      summary('e4', 0.62, '2026-01-02T10:00:00Z'),
      summary('e5', 0.5, '2026-01-02T10:00:00Z'),
      summary('e6', 0.9, '2026-01-03T10:00:00Z', 'val'),
    ],
    jobs,
  );

  it('places each evaluation by its finetune input and the strategy of the pretrain behind it (through an export too)', () => {
    expect(table.columns).toEqual([
      { input: 's1', title: 'S1 (SAR)' },
      { input: 's2', title: 'S2 (optical)' },
      { input: 's1s2', title: 'S1 + S2' },
    ]);
    expect(table.rows.map((r) => [r.key, r.title])).toEqual([
      ['supervised', 'Supervised'],
      ['sensor-pairs', 'Sensor pairs: S1/S2 of one place (MoCo)'],
      ['partial-fusion', 'Partial fusion (MoCo)'],
    ]);
    const cell = (row: string, input: 's1' | 's2' | 's1s2') => table.rows.find((r) => r.key === row)?.cells[input]?.value ?? null;
    expect(cell('sensor-pairs', 's1s2')).toBe(0.67);
    expect(cell('partial-fusion', 's1')).toBe(0.47);
    expect(cell('supervised', 's1')).toBeNull();
  });

  it('fills a cell with the newest test-split evaluation and counts the ones it cannot place', () => {
    expect(table.rows[0].cells.s2).toEqual({ row: 'supervised', input: 's2', value: 0.62, metric: 'jaccard_samples', job: 'e4', endedAt: '2026-01-02T10:00:00Z' });
    expect(table.unplaced).toBe(1);
  });
});
