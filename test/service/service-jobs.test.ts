/**
 * Jobs through the service API (in-process client, real forked worker processes, wasm, tiny
 * shapes): the chain a user clicks through — pretrain, finetune from it, evaluate on the regions
 * drawn on the map, read the results, export — with progress and state events along the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkJobProcess } from '../../core/jobs/job-process.js';
import type { ApiClient, DatasetInfo, JobInfo, JobRequest, StudioEvent } from '../../core/common/api/contract.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { ServiceError } from '../../core/common/api/service-error.js';
import type { PretrainJobOptions } from '../../core/common/jobs/job-spec.js';
import { averagePrecisionOf, classIndicator, precisionRecallCurve } from '../../core/common/metrics/pr-curve.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, tearDown } from './service-fixture.js';

let root: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;
const events: StudioEvent[] = [];
const TINY = { depth: 10, size: 32, batchSize: 8, epochs: 1, seed: 5, backend: 'wasm' } as const;

/** The job once it has settled, from the events the service pushed. */
function settled(id: string): Promise<JobInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${id} did not finish`)), 90_000);
    const off = api.onEvent((e) => {
      if (e.type !== 'job.state' || e.job.id !== id || ['queued', 'running'].includes(e.job.state)) return;
      clearTimeout(timer);
      off();
      resolve(e.job);
    });
  });
}

async function run(request: JobRequest): Promise<JobInfo> {
  const job = await api.call('jobs.start', { dataset: info.id, ...request });
  const done = await settled(job.id);
  if (done.state !== 'completed') throw new Error(`${request.kind} job ${done.state}: ${(await api.call('jobs.log', { id: job.id })).lines.join('\n')}`);
  return done;
}

beforeAll(async () => {
  root = tempDir('service-jobs');
  cacheIn(root);
  const dir = await syntheticDataset(root, 6, 6, 21);
  service = await createStudioService({ dataDir: path.join(root, 'data'), mode: 'server', createJobProcess: forkJobProcess });
  api = inProcessClient(service);
  api.onEvent((e) => events.push(e));
  info = await api.call('datasets.open', { dir });
}, 120_000);

afterAll(() => tearDown(service, root));

describe('jobs through the service', () => {
  it('refuses bad job options naming the field once, and starts nothing', async () => {
    // What a client that ignores the contract's types may send.
    const depth: PretrainJobOptions = JSON.parse('{ "depth": 11 }');
    const refused = await api.call('jobs.start', { dataset: info.id, kind: 'pretrain', options: depth }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect(refused).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/spec\.options\.depth/) });
    expect((refused as ServiceError).message.match(/depth/g)).toHaveLength(1);
    // Valid one by one, refused together by the run's config: refused here, not by a failing worker.
    const combined = await api.call('jobs.start', { dataset: info.id, kind: 'pretrain', options: { strategy: 'all-fusion', inputBlocks: true } }).catch((e: unknown) => e);
    expect(combined).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/spec\.options\.inputBlocks: all-fusion feeds the 12-channel/) });
    expect((combined as ServiceError).message.match(/inputBlocks/g)).toHaveLength(1);
    expect(await api.call('jobs.list', {})).toEqual([]);
  });

  it('pretrains, finetunes from it, evaluates per drawn region and exports, streaming progress', async () => {
    const pretrain = await run({ kind: 'pretrain', options: { ...TINY, queueSize: 64, subset: 'random:16' } });
    const progress = events.flatMap((e) => (e.type === 'job.progress' && e.id === pretrain.id ? [e.progress] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.step)).toEqual([...progress.map((p) => p.step)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ step: progress.at(-1)!.totalSteps });
    expect(pretrain.runDir).toBeTruthy();
    expect((await api.call('jobs.log', { id: pretrain.id })).lines.length).toBeGreaterThan(0);

    const finetune = await run({ kind: 'finetune', options: { ...TINY, variant: 'moco', pretrained: pretrain.id, input: 's2' } });

    // one drawn region around every patch of the data set, one around none
    const [minLon, minLat, maxLon, maxLat] = info.bbox!;
    const ring = (a: number, b: number, c: number, d: number) => [[[a, b], [c, b], [c, d], [a, d], [a, b]]];
    await api.call('annotations.apply', { dataset: info.id, change: { kind: 'region', region: { id: 'all', name: 'everywhere', geometry: { type: 'Polygon', coordinates: ring(minLon - 1, minLat - 1, maxLon + 1, maxLat + 1) } } } });
    await api.call('annotations.apply', { dataset: info.id, change: { kind: 'region', region: { id: 'sea', name: 'nowhere', geometry: { type: 'Polygon', coordinates: ring(0, -80, 1, -79) } } } });
    const evaluate = await run({ kind: 'evaluate', options: { model: finetune.id, split: 'all', by: 'regions', batchSize: 8, backend: 'wasm' } });

    const result = await api.call('results.get', { job: evaluate.id });
    expect(result.groups!.map((g) => g.group).sort()).toEqual(['everywhere', 'nowhere']);
    expect(result.groups!.find((g) => g.group === 'everywhere')!.n).toBe(result.overall.n);
    expect(result.groups!.find((g) => g.group === 'nowhere')!.n).toBe(0);
    const { patches } = await api.call('results.predictions', { job: evaluate.id });
    expect(patches).toHaveLength(result.overall.n);
    const catalog = await api.call('catalog.query', { dataset: info.id, query: {} });
    expect(new Set(patches.map((p) => p.id))).toEqual(new Set(catalog.patches.map((p) => p.id)));
    for (const p of patches) {
      expect(p.trueLabels).toEqual(catalog.patches.find((c) => c.id === p.id)!.labels);
      expect(p.correct).toBe(JSON.stringify(p.trueLabels) === JSON.stringify(p.predicted));
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    // the probabilities the evaluation scored: their per-class precision-recall curves give its mAP
    const classes = result.overall.per_class.length;
    expect(patches.every((p) => p.scores.length === classes && p.scores.every((v) => v >= 0 && v <= 1))).toBe(true);
    const aps = Array.from({ length: classes }, (_, k) =>
      averagePrecisionOf(precisionRecallCurve(classIndicator(patches.map((p) => p.trueLabels), k + 1), patches.map((p) => p.scores[k]))),
    );
    expect(aps.reduce((a, b) => a + b, 0) / classes).toBeCloseTo((result.overall as { map_macro: number }).map_macro, 10);
    const meanScore = patches.reduce((s, p) => s + p.score, 0) / patches.length;
    expect(meanScore).toBeCloseTo((result.overall as { jaccard_samples: number }).jaccard_samples, 10);
    const listed = await api.call('results.list', { dataset: info.id });
    expect(listed).toEqual([
      expect.objectContaining({ job: evaluate.id, dataset: info.id, headline: { metric: 'jaccard_samples', value: (result.overall as { jaccard_samples: number }).jaccard_samples } }),
    ]);

    const dest = path.join(root, 'data', 'exports', 'export');
    await run({ kind: 'export', options: { run: finetune.id, formats: ['safetensors', 'tfjs'], dest } });
    for (const file of ['model.safetensors', 'model-card.json', 'model.json']) expect(fs.existsSync(path.join(dest, file))).toBe(true);
    expect((await api.call('jobs.list', {})).map((j) => j.kind)).toEqual(['pretrain', 'finetune', 'evaluate', 'export']);
  }, 240_000);

  it('refuses results of a job that is not an evaluation', async () => {
    const [pretrain] = await api.call('jobs.list', {});
    await expect(api.call('results.get', { job: pretrain.id })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.call('results.predictions', { job: pretrain.id })).rejects.toMatchObject({ code: 'not-found' });
  });
});
