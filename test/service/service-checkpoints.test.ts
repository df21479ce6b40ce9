/**
 * `runs.checkpoints` through the in-process client: a run's checkpoints by job id or run folder,
 * with its kind's default selector and best rule, and the refusals a client sees. The jobs are
 * run by a scripted worker that writes small real checkpoints, so no training runs here.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostTensor } from '../../core/formats/host-tensor.js';
import { saveCheckpoint } from '../../core/runs/checkpoint.js';
import { BEST_RULE, type RunKind } from '../../core/common/runs/checkpoint-ref.js';
import { createRun } from '../../core/runs/run-dir.js';
import type { ApiClient, DatasetInfo, JobRequest } from '../../core/common/api/contract.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { Rng } from '../../core/util/rng.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, runJob, scriptedJobProcess, tearDown } from './service-fixture.js';

/** The checkpoints the scripted worker writes per run kind: [kind, step], in the order written. */
const WRITES: Record<RunKind, ['periodic' | 'best' | 'cancel', number][]> = {
  // three epochs of 3 steps; k-NN best after the second epoch
  pretrain: [['periodic', 3], ['best', 6], ['periodic', 6], ['periodic', 9]],
  finetune: [['best', 2], ['periodic', 2], ['periodic', 4]],
};

async function writeRun(runsDir: string, kind: RunKind): Promise<string> {
  const run = await createRun(runsDir, { kind, seed: 1, trainer: {} });
  const weights = new Map<string, HostTensor>([['fc.weight', { dtype: 'float32', shape: [2], values: new Float32Array([1, 2]) }]]);
  for (const [ckptKind, step] of WRITES[kind]) {
    const state = { step, epoch: Math.floor(step / 3), rng: new Rng(step).state(), dataOrder: null, configHash: run.configHash };
    await saveCheckpoint(run.dir, ckptKind, state, { model: weights });
  }
  return run.dir;
}

/** A worker that writes a run (training jobs) and reports it done, or fails when the job asks for 999 epochs. */
const scriptedWorker = () =>
  scriptedJobProcess(async ({ job, runsDir }, reply) => {
    if ((job.spec.options as { epochs?: number }).epochs === 999) {
      reply({ type: 'failed', error: 'told to fail' });
    } else if (job.kind === 'pretrain' || job.kind === 'finetune') {
      const runDir = await writeRun(runsDir, job.kind);
      reply({ type: 'started', runDir });
      reply({ type: 'done', result: { runDir, status: 'completed' } });
    } else {
      reply({ type: 'done', result: { dir: 'exported', files: [] } });
    }
  });

let root: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;

const run = (request: JobRequest) => runJob(api, info.id, request);


beforeAll(async () => {
  root = tempDir('service-checkpoints');
  cacheIn(root);
  const dir = await syntheticDataset(root, 2, 2);
  service = await createStudioService({ dataDir: path.join(root, 'data'), mode: 'server', createJobProcess: scriptedWorker });
  api = inProcessClient(service);
  info = await api.call('datasets.open', { dir });
}, 120_000);

afterAll(() => tearDown(service, root));

describe('runs.checkpoints', () => {
  it("lists a pretrain job's checkpoints by step, with last as its default and what each selector names", async () => {
    const pretrain = await run({ kind: 'pretrain', options: { epochs: 3 } });
    expect(pretrain.state).toBe('completed');
    const listed = await api.call('runs.checkpoints', { run: pretrain.id });
    expect(listed).toMatchObject({ run: pretrain.runDir, kind: 'pretrain', default: 'last', bestRule: BEST_RULE.pretrain });
    expect(listed.checkpoints.map((c) => [c.kind, c.step, c.epoch, c.file])).toEqual([
      ['periodic', 3, 1, 'step-000003.safetensors'],
      ['best', 6, 2, 'best.safetensors'],
      ['periodic', 6, 2, 'step-000006.safetensors'],
      ['periodic', 9, 3, 'step-000009.safetensors'],
    ]);
    for (const c of listed.checkpoints) expect(Date.parse(c.createdAt)).not.toBeNaN();
    expect(listed.selectors).toEqual([
      { selector: 'last', file: 'step-000009.safetensors', step: 9, epoch: 3 },
      { selector: 'best', file: 'best.safetensors', step: 6, epoch: 2 },
      { selector: 'step-3', file: 'step-000003.safetensors', step: 3, epoch: 1 },
      { selector: 'step-6', file: 'step-000006.safetensors', step: 6, epoch: 2 },
      { selector: 'step-9', file: 'step-000009.safetensors', step: 9, epoch: 3 },
    ]);
    // the run folder gives the same answer as the job id
    expect(await api.call('runs.checkpoints', { run: pretrain.runDir! })).toEqual(listed);
  });

  it("lists a finetune run's checkpoints with best as its default", async () => {
    const finetune = await run({ kind: 'finetune', options: { variant: 'supervised' } });
    const listed = await api.call('runs.checkpoints', { run: finetune.id });
    expect(listed).toMatchObject({ kind: 'finetune', default: 'best', bestRule: BEST_RULE.finetune });
    expect(listed.selectors.map((s) => `${s.selector}@${s.step}`)).toEqual(['last@4', 'best@2', 'step-2@2', 'step-4@4']);
  });

  it('resolves a run folder relative to the app data folder', async () => {
    const [pretrain] = await api.call('jobs.list', {});
    const relative = path.relative(path.join(root, 'data'), pretrain.runDir!);
    expect((await api.call('runs.checkpoints', { run: relative })).run).toBe(pretrain.runDir);
  });

  it('refuses what is not a completed pretrain or finetune run, naming the parameter', async () => {
    expect(await refusal(api.call('runs.checkpoints', { run: 'job-20200101-000000-abcd' }))).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^params\.run: no job "job-20200101-000000-abcd"/),
    });
    const [pretrain] = await api.call('jobs.list', {});
    const exported = await run({ kind: 'export', options: { run: pretrain.id, formats: ['safetensors'], dest: path.join(root, 'data', 'exports', 'export') } });
    expect(await refusal(api.call('runs.checkpoints', { run: exported.id }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/params\.run: .*export job; expected a pretrain or finetune job/),
    });
    const failed = await run({ kind: 'pretrain', options: { epochs: 999 } });
    expect(failed.state).toBe('failed');
    expect(await refusal(api.call('runs.checkpoints', { run: failed.id }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/is failed, not completed/) });
    expect(await refusal(api.call('runs.checkpoints', { run: path.join(root, 'data') }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/^params\.run: .*not a run directory/) });
    expect(await refusal(api.call('runs.checkpoints', { run: path.join(root, 'data', 'nowhere') }))).toMatchObject({ code: 'not-found' });
    expect(await refusal(api.call('runs.checkpoints', { run: root }))).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^params\.run: /) });
  });

  it('checks its params like every method', async () => {
    expect((await refusal(api.call('runs.checkpoints', {} as never))).code).toBe('invalid-params');
    expect((await refusal(api.call('runs.checkpoints', { run: '' }))).message).toMatch(/params\.run/);
    expect((await refusal(api.call('runs.checkpoints', { run: 'x', step: 3 } as never))).code).toBe('invalid-params');
  });
});
