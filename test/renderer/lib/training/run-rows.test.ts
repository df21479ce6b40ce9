import { describe, expect, it } from 'vitest';
import type { RunLabel } from '../../../../core/common/api/contract.js';
import { defaultRunName, runName } from '../../../../core/common/jobs/run-names.js';
import { groupingOf, jobsOfDataset, runRow } from '../../../../renderer/src/lib/training/run-rows.js';
import { jobInfo } from './job-fixtures.js';

const label = (job: string, name: string, notes = ''): RunLabel => ({ job, name, notes, updatedAt: '2026-01-01T00:00:00Z' });

describe('run names', () => {
  it('default to kind, strategy or input, and depth; a blank name falls back to the default', () => {
    const pretrain = jobInfo('p', 'pretrain', { strategy: 'sensor-pairs', depth: 10 }).spec;
    expect(defaultRunName(pretrain)).toBe('pretrain · sensor-pairs · ResNet-10');
    expect(defaultRunName(jobInfo('f', 'finetune', { input: 's1s2', scheme: 'multi', depth: 18 }).spec)).toBe('finetune · s1s2 · multi · ResNet-18');
    expect(runName(pretrain, label('p', '  '))).toBe('pretrain · sensor-pairs · ResNet-10');
    expect(runName(pretrain, label('p', 'baseline'))).toBe('baseline');
  });
});

describe('Runs list rows', () => {
  const pretrain = jobInfo('job-p', 'pretrain', { strategy: 'sensor-pairs', depth: 10, size: 32, epochs: 1, batchSize: 8, maxSteps: 6 }, {
    runDir: '/data/runs/pretrain-1',
    startedAt: '2026-03-01T14:05:00.000Z',
    result: { steps: 4, finalLoss: 4.25, best: { metric: 'knn_top1', value: 0.4167, step: 4 } },
  });

  it('a finished training run: its name, start, steps, final loss and best score, its settings', () => {
    const row = runRow(pretrain, [pretrain], { 'job-p': label('job-p', 'tiny baseline') });
    expect(row.name).toBe('tiny baseline');
    expect(row.started).toMatch(/^2026-03-0[12] \d\d:\d5$/);
    expect(row.steps).toBe('4 steps');
    expect(row.figure).toBe('loss 4.2500 · best k-NN top-1 0.4167');
    expect(row.what).toBe('32 px · 1 epoch · batch 8 · max 6 steps');
  });

  it('a running run counts its steps to where it stops', () => {
    const running = jobInfo('job-r', 'pretrain', {}, { state: 'running', progress: { step: 3, totalSteps: 50, stopStep: 6, epoch: 0, epochs: 10, loss: 5, lr: 0.03, imagesPerSecond: 1, etaSeconds: 3 } });
    expect(runRow(running, [running], {})).toMatchObject({ steps: '3/6 steps', figure: 'loss 5.0000' });
  });

  it('an evaluation names the model run it read (by its name), its grouping and its headline score', () => {
    const finetune = jobInfo('job-f', 'finetune', { input: 's2', scheme: 'multi', depth: 10, pretrained: 'job-p' }, { runDir: '/data/runs/finetune-1' });
    const byRegions = jobInfo('job-e', 'evaluate', { model: 'job-f', by: { regions: '/data/regions/abc.geojson' }, split: 'test' }, { result: { task: 'multi_label', metrics: { jaccard_samples: 0.612, f1_micro: 0.7 } } });
    const bySeason = jobInfo('job-e2', 'evaluate', { model: '/data/runs/finetune-1', by: 'season' });
    const all = [pretrain, finetune, byRegions, bySeason];
    const labels = { 'job-f': label('job-f', 'from tiny') };
    const row = runRow(byRegions, all, labels);
    expect(row.what).toBe('model: from tiny · by drawn regions · test split');
    expect(row.figure).toBe('sample-averaged Jaccard 0.6120');
    expect(runRow(bySeason, all, labels).what).toBe('model: from tiny · by season');
    expect(runRow(finetune, all, { 'job-p': label('job-p', 'tiny baseline') }).what).toBe('from tiny baseline');
    for (const j of all) expect(JSON.stringify(runRow(j, all, labels))).not.toContain('[object Object]');
  });

  it('says which regions file an evaluation grouped by', () => {
    expect(groupingOf({ regions: '/home/me/fields.geojson' })).toBe('by regions of fields.geojson');
    expect(groupingOf(undefined)).toBe('overall');
  });

  it("lists only the open data set's jobs", () => {
    const other = jobInfo('job-o', 'pretrain', {}, { spec: { kind: 'pretrain', catalog: '/other/catalog.sqlite', options: {} } });
    expect(jobsOfDataset([pretrain, other], '/data/catalog.sqlite').map((j) => j.id)).toEqual(['job-p']);
    expect(jobsOfDataset([pretrain, other], '/other/catalog.sqlite').map((j) => j.id)).toEqual(['job-o']);
    expect(jobsOfDataset([pretrain], null)).toEqual([]);
  });
});
