/**
 * `jobs.estimate` through the in-process client: the backend a job would load, the steps it would
 * run on the data set's selection, a step time from finished jobs of the same configuration; and
 * the retention setting a training job records. A scripted worker stands in for training.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, DatasetInfo, JobRequest } from '../../core/common/api/contract.js';
import { DEFAULT_KEEP_CHECKPOINTS } from '../../core/common/runs/checkpoint-ref.js';
import { initBackend } from '../../core/backend/select.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, runJob, scriptedJobProcess, tearDown } from './service-fixture.js';

/** Each training job "ran" 10 steps in 25 s; what was asked is kept for the tests to read. */
const scriptedWorker = () =>
  scriptedJobProcess(async ({ job }, reply) => {
    reply({ type: 'done', result: { runDir: `/runs/${job.id}`, status: 'completed', steps: 10, epochs: 1, finalLoss: 1, seconds: 25 } });
  });

let root: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;

const run = (request: JobRequest) => runJob(api, info.id, request);

const small = { depth: 10, size: 32, batchSize: 4, epochs: 3 } as const;
const demo = { ...small, queueSize: 16 } as const;

beforeAll(async () => {
  root = tempDir('service-estimate');
  cacheIn(root);
  const dir = await syntheticDataset(root, 4, 6);
  service = await createStudioService({ dataDir: path.join(root, 'data'), mode: 'server', createJobProcess: scriptedWorker });
  api = inProcessClient(service);
  info = await api.call('datasets.open', { dir });
}, 120_000);

afterAll(() => tearDown(service, root));

describe('jobs.estimate', () => {
  it('counts the steps the selection gives and names the backend, with no time before anything is measured', async () => {
    const e = await api.call('jobs.estimate', { dataset: info.id, kind: 'pretrain', options: { ...demo, subset: 'random:8' } });
    expect(e.patches).toBe(8);
    expect(e).toMatchObject({ batchSize: 4, stepsPerEpoch: 2, epochs: 3, steps: 6, limitedBy: 'epochs', stepSeconds: null, measured: null, seconds: null });
    expect(e.backend.engine).not.toBe('');
    expect(['gpu', 'cpu']).toContain(e.backend.device);
    // the guess is what the automatic choice really loads on this machine
    expect(e.backend.backend).toBe((await initBackend({ purpose: 'train' })).name);
    const cut = await api.call('jobs.estimate', { dataset: info.id, kind: 'pretrain', options: { ...demo, subset: 'random:8', maxSteps: 5 } });
    expect(cut).toMatchObject({ steps: 5, limitedBy: 'maxSteps' });
  });

  it("times a configuration by its finished jobs' wall time, else scales another configuration's by compute", async () => {
    const done = await run({ kind: 'finetune', options: { ...small, subset: 'random:8' } });
    expect(done.state).toBe('completed');
    const same = await api.call('jobs.estimate', { dataset: info.id, kind: 'finetune', options: { ...small, subset: 'random:8', epochs: 4 } });
    expect(same.measured).toEqual({ jobs: [done.id], steps: 10, seconds: 25 });
    expect(same.stepSeconds).toBe(2.5);
    expect(same.seconds).toBe(same.steps * 2.5);
    // another configuration of the same kind: that job's step time, scaled by compute (batch 8 vs 4)
    const other = await api.call('jobs.estimate', { dataset: info.id, kind: 'finetune', options: { ...small, subset: 'random:8', batchSize: 8 } });
    expect(other.measured).toEqual({ jobs: [done.id], steps: 10, seconds: 25, scaledFrom: { depth: 10, size: 32, batchSize: 4, factor: 2 } });
    expect(other.stepSeconds).toBe(5);
    const pretrain = await api.call('jobs.estimate', { dataset: info.id, kind: 'pretrain', options: { ...demo, subset: 'random:8' } });
    expect(pretrain.measured).toBeNull();
  });

  it('refuses what a job start refuses, naming the field', async () => {
    const bad = await refusal(api.call('jobs.estimate', { dataset: info.id, kind: 'pretrain', options: { ...demo, epochs: 0 } }));
    expect(bad.code).toBe('invalid-params');
    expect(bad.message).toMatch(/spec\.options\.epochs: must be >= 1/);
    const kind = await refusal(api.call('jobs.estimate', { dataset: info.id, kind: 'export' as 'pretrain', options: {} }));
    expect(kind.message).toMatch(/params\.kind/);
    const list = await refusal(api.call('jobs.estimate', { dataset: info.id, kind: 'finetune', options: { ...small, subset: 'list:missing.txt' } }));
    expect(list.message).toMatch(/subset/);
  });
});

describe('checkpoint retention of app jobs', () => {
  it("records the app's setting in a training job unless the job names its own", async () => {
    const byDefault = await run({ kind: 'pretrain', options: { ...demo } });
    expect(byDefault.spec.options).toMatchObject({ keepCheckpoints: DEFAULT_KEEP_CHECKPOINTS });
    await api.call('settings.set', { key: 'keepCheckpoints', value: 0 });
    expect((await run({ kind: 'pretrain', options: { ...demo } })).spec.options).toMatchObject({ keepCheckpoints: 0 });
    expect((await run({ kind: 'finetune', options: { ...small, keepCheckpoints: 4 } })).spec.options).toMatchObject({ keepCheckpoints: 4 });
    const refused = await refusal(api.call('settings.set', { key: 'keepCheckpoints', value: -1 }));
    expect(refused.message).toMatch(/keepCheckpoints/);
  });
});
