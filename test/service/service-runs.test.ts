/**
 * `runs.metrics`, `runs.labels` and `runs.setLabel` through the in-process client: a run's
 * recorded history by job id or folder (epoch-end validation on its step, as live events carry
 * it), names and notes that outlive the service, and the refusals a client sees. A scripted
 * worker writes real metrics.jsonl files; no training runs here.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, DatasetInfo, JobRequest } from '../../core/common/api/contract.js';
import { RUN_NAME_MAX } from '../../core/common/jobs/run-names.js';
import { appendMetrics } from '../../core/runs/metrics-log.js';
import { createRun } from '../../core/runs/run-dir.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { metricPoints, thinPoints } from '../../core/service/run-metrics.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, runJob, scriptedJobProcess, tearDown } from './service-fixture.js';

/** Three steps an epoch; a pretrain records k-NN top-1 at each epoch end, a finetune a validation report. */
async function writeRun(runsDir: string, kind: 'pretrain' | 'finetune', epochs: number): Promise<string> {
  const run = await createRun(runsDir, { kind, seed: 1, trainer: {} });
  for (let step = 1; step <= epochs * 3; step++) {
    const epoch = Math.floor((step - 1) / 3);
    await appendMetrics(run.dir, { step, epoch, loss: 10 - step, lr: 0.03, images_per_second: 5 });
    if (step % 3 === 0) {
      const end = kind === 'pretrain' ? { epoch_loss: 9, knn_top1: step / 100 } : { train_loss: 9, validation: { task: 'multi_label', f1_micro: step / 10, loss: 0.5, per_class: [1, 2] } };
      await appendMetrics(run.dir, { step, epoch, epoch_end: true, ...end });
    }
  }
  return run.dir;
}

const scriptedWorker = () =>
  scriptedJobProcess(async ({ job, runsDir }, reply) => {
    if (job.kind === 'pretrain' || job.kind === 'finetune') {
      const runDir = await writeRun(runsDir, job.kind, (job.spec.options as { epochs?: number }).epochs ?? 1);
      reply({ type: 'started', runDir });
      reply({ type: 'done', result: { runDir, status: 'completed' } });
    } else {
      reply({ type: 'done', result: { dir: 'exported', files: [] } });
    }
  });

let root: string;
let dataDir: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;

const run = (request: JobRequest) => runJob(api, info.id, request);

async function startService(): Promise<void> {
  service = await createStudioService({ dataDir, mode: 'server', createJobProcess: scriptedWorker });
  api = inProcessClient(service);
}

beforeAll(async () => {
  root = tempDir('service-runs');
  dataDir = path.join(root, 'data');
  cacheIn(root);
  const dir = await syntheticDataset(root, 2, 2);
  await startService();
  info = await api.call('datasets.open', { dir });
}, 120_000);

afterAll(() => tearDown(service, root));

describe('runs.metrics', () => {
  it("gives every step of a pretrain's metrics.jsonl, with k-NN top-1 on each epoch's last step", async () => {
    const pretrain = await run({ kind: 'pretrain', options: { epochs: 2 } });
    const metrics = await api.call('runs.metrics', { run: pretrain.id });
    expect(metrics.run).toBe(pretrain.runDir);
    expect(metrics.steps).toBe(6);
    expect(metrics.points.map((p) => [p.step, p.epoch, p.loss])).toEqual([[1, 0, 9], [2, 0, 8], [3, 0, 7], [4, 1, 6], [5, 1, 5], [6, 1, 4]]);
    expect(metrics.points.filter((p) => p.validation).map((p) => [p.step, p.validation])).toEqual([[3, { knn_top1: 0.03 }], [6, { knn_top1: 0.06 }]]);
    // the run folder gives the same answer as the job id
    expect(await api.call('runs.metrics', { run: pretrain.runDir! })).toEqual(metrics);
  });

  it("gives a finetune's validation report by the report's own names, numbers only", async () => {
    const finetune = await run({ kind: 'finetune', options: { variant: 'supervised', epochs: 1 } });
    const { points } = await api.call('runs.metrics', { run: finetune.id });
    expect(points.at(-1)).toEqual({ step: 3, epoch: 0, loss: 7, lr: 0.03, validation: { f1_micro: 0.3, loss: 0.5 } });
  });

  it('refuses what is not a pretrain or finetune run, naming the parameter', async () => {
    expect(await refusal(api.call('runs.metrics', { run: 'job-20200101-000000-abcd' }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/^params\.run: no job/) });
    const [pretrain] = (await api.call('jobs.list', {})).filter((j) => j.kind === 'pretrain');
    const exported = await run({ kind: 'export', options: { run: pretrain.id, formats: ['safetensors'], dest: path.join(dataDir, 'exports', 'e') } });
    expect(await refusal(api.call('runs.metrics', { run: exported.id }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.run: .*export job/) });
    expect(await refusal(api.call('runs.metrics', { run: root }))).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^params\.run: /) });
    expect(await refusal(api.call('runs.metrics', { run: dataDir }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/not a run directory/) });
    expect(await refusal(api.call('runs.metrics', { run: 'x'.repeat(5000) }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.run/) });
  });
});

describe('metric points', () => {
  it('thins a long run to about the bound, keeping every epoch end and the last step', () => {
    const records = Array.from({ length: 20_000 }, (_, i) => ({ step: i + 1, epoch: Math.floor(i / 1000), loss: 1, lr: 0.1 }));
    const ends = Array.from({ length: 20 }, (_, e) => ({ step: (e + 1) * 1000, epoch: e, epoch_end: true, knn_top1: e / 20 }));
    const points = metricPoints([...records, ...ends]);
    const thin = thinPoints(points, 1000);
    expect(thin.length).toBeLessThanOrEqual(1000 + 20 + 1);
    expect(thin.length).toBeGreaterThan(900);
    expect(thin.filter((p) => p.validation).map((p) => p.step)).toEqual(ends.map((e) => e.step));
    expect(thin.at(-1)!.step).toBe(20_000);
  });

  it('skips records without a finite loss and keeps one point per step', () => {
    const points = metricPoints([{ step: 1, epoch: 0, loss: null, lr: 0.1 }, { step: 2, epoch: 0, loss: 2, lr: 0.1 }, { step: 2, epoch: 0, loss: 3, lr: 0.1 }, { note: 'no step' }]);
    expect(points).toEqual([{ step: 2, epoch: 0, loss: 3, lr: 0.1 }]);
  });
});

describe('runs.setLabel and runs.labels', () => {
  it('names a run and keeps notes; both outlive the service', async () => {
    const [job] = await api.call('jobs.list', {});
    const label = await api.call('runs.setLabel', { job: job.id, name: '  baseline s1+s2  ', notes: 'lr 0.03, queue 64' });
    expect(label).toMatchObject({ job: job.id, name: 'baseline s1+s2', notes: 'lr 0.03, queue 64' });
    // renaming without notes keeps the notes
    await api.call('runs.setLabel', { job: job.id, name: 'baseline' });
    await service.close();
    await startService();
    const labels = await api.call('runs.labels', {});
    expect(labels.map(({ job, name, notes }) => ({ job, name, notes }))).toEqual([{ job: job.id, name: 'baseline', notes: 'lr 0.03, queue 64' }]);
  });

  it('refuses an unknown job and a name over the bound, naming the field', async () => {
    expect(await refusal(api.call('runs.setLabel', { job: 'job-20200101-000000-abcd', name: 'x' }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/^params\.job/) });
    const [job] = await api.call('jobs.list', {});
    expect(await refusal(api.call('runs.setLabel', { job: job.id, name: 'x'.repeat(RUN_NAME_MAX + 1) }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.name/) });
    expect(await refusal(api.call('runs.setLabel', { job: job.id } as never))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/name/) });
  });
});
