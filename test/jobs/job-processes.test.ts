// Real worker processes (forked, tsx) running tiny jobs on the wasm backend: ResNet-10 at 32 px,
// batch 8, a 64-key queue, two steps per epoch.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppDb, type AppDb } from '../../core/app-db/schema.js';
import { initBackend } from '../../core/backend/select.js';
import { JobManager, type JobEvent } from '../../core/jobs/job-manager.js';
import { forkJobProcess, type JobProcess } from '../../core/jobs/job-process.js';
import type { JobInfo, JobProgress, JobSpec, JobState } from '../../core/common/jobs/job-spec.js';
import type { EvaluationResult } from '../../core/common/inference/evaluation.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';
import { finetuneRun } from '../training/weights-fixtures.js';

let fx: Fixture;
let work: string;
let db: AppDb;
let manager: JobManager;
const events: JobEvent[] = [];
const processes: JobProcess[] = [];

const pretrainSpec = (epochs: number): JobSpec => ({
  kind: 'pretrain',
  catalog: fx.catalog,
  options: { depth: 10, size: 32, batchSize: 8, queueSize: 64, epochs, subset: 'random:16', checkpointEvery: 1, seed: 3, backend: 'wasm' },
});

function openManager(): JobManager {
  const m = new JobManager({
    db,
    runsDir: join(work, 'runs'),
    jobsDir: join(work, 'jobs'),
    createProcess: () => {
      const proc = forkJobProcess();
      processes.push(proc);
      return proc;
    },
  });
  m.onEvent((e) => events.push(e));
  return m;
}

/** Resolves with the job once `probe` accepts it (checked on every event of the manager). */
function when(m: JobManager, id: string, probe: (job: JobInfo) => boolean, ms = 60_000): Promise<JobInfo> {
  return new Promise((resolve, reject) => {
    const stop = (err: Error | null, job?: JobInfo) => {
      off();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(job!);
    };
    const check = () => {
      const job = m.get(id)!;
      if (probe(job)) stop(null, job);
      else if (settled(job.state)) stop(new Error(`job ${id} ended ${job.state}: ${m.log(id).slice(-5).join(' | ')}`));
    };
    const off = m.onEvent(check);
    const timer = setTimeout(() => stop(new Error(`job ${id} still ${m.get(id)?.state}: ${m.log(id).slice(-5).join(' | ')}`)), ms);
    check();
  });
}

const settled = (state: JobState) => !['queued', 'running'].includes(state);
const progressOf = (id: string) => events.flatMap((e) => (e.type === 'job.progress' && e.id === id ? [e.progress] : []));
const statesOf = (id: string) => events.flatMap((e) => (e.type === 'job.state' && e.job.id === id ? [e.job.state] : []));

beforeAll(async () => {
  await initBackend({ purpose: 'infer', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 6, patchesPerScene: 6, seed: 21 });
  work = await mkdtemp(join(tmpdir(), 'jobs-'));
  db = openAppDb(join(work, 'app.sqlite'));
  manager = openManager();
});

afterAll(async () => {
  await manager?.close();
  for (const p of processes) p.kill();
  db?.close();
  await fx?.cleanup();
  await rm(work, { recursive: true, force: true });
});

describe('jobs in worker processes', () => {
  it('runs queued pretrain jobs one after the other in forked processes, streaming progress in order; cancels the second', async () => {
    const first = manager.start(pretrainSpec(2));
    const second = manager.start(pretrainSpec(3));
    expect([first.state, second.state]).toEqual(['queued', 'queued']);
    // Cancel the second job once it has made progress.
    const running = await when(manager, second.id, (j) => j.state === 'running' && j.progress !== null);
    expect(manager.get(first.id)!.state).toBe('completed');
    expect(Date.parse(running.startedAt!)).toBeGreaterThanOrEqual(Date.parse(manager.get(first.id)!.endedAt!));
    manager.cancel(second.id);
    const cancelled = await when(manager, second.id, (j) => settled(j.state));

    const done = manager.get(first.id)!;
    expect(done.state).toBe('completed');
    expect(done.runDir).toMatch(/-pretrain-/);
    expect(done.result).toMatchObject({ runDir: done.runDir, status: 'completed', steps: 4, epochs: 2 });
    const steps = progressOf(first.id).map((p) => p.step);
    expect(steps.at(-1)).toBe(4);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(progressOf(first.id).every((p) => p.totalSteps === 4 && Number.isFinite(p.loss) && p.loss > 0)).toBe(true);
    expect(statesOf(first.id)).toEqual(['queued', 'running', 'running', 'completed']); // the second 'running' carries the run dir
    expect(manager.log(first.id).some((l) => l.includes('backend: wasm'))).toBe(true);

    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.result).toMatchObject({ status: 'cancelled' });
    expect(existsSync(join(cancelled.runDir!, 'checkpoints', 'cancel.safetensors'))).toBe(true);
  }, 60_000);

  it('a worker killed with SIGKILL leaves its job interrupted with its log; resume() completes the run from its checkpoint', async () => {
    const job = manager.start(pretrainSpec(3));
    const withCheckpoint = await when(manager, job.id, (j) => j.runDir !== null && (j.progress?.step ?? 0) >= 1 && existsSync(join(j.runDir, 'checkpoints', 'index.json')));
    process.kill(processes.at(-1)!.pid!, 'SIGKILL');
    const interrupted = await when(manager, job.id, (j) => settled(j.state));
    expect(interrupted.state).toBe('interrupted');
    expect(interrupted.error).toMatch(/SIGKILL/);
    expect(manager.log(job.id).some((l) => l.includes('worker exited (signal SIGKILL)'))).toBe(true);
    const stoppedAt = (JSON.parse(await readFile(join(withCheckpoint.runDir!, 'checkpoints', 'index.json'), 'utf8')) as { checkpoints: { step: number }[] }).checkpoints;
    expect(Math.max(...stoppedAt.map((c) => c.step))).toBeLessThan(6);

    expect(manager.resume(job.id).state).toBe('queued');
    const resumed = await when(manager, job.id, (j) => settled(j.state));
    expect(resumed).toMatchObject({ state: 'completed', runDir: withCheckpoint.runDir, error: null });
    expect(resumed.result).toMatchObject({ runDir: withCheckpoint.runDir, status: 'completed', steps: 6 });
    const log = manager.log(job.id);
    expect(log.some((l) => l.includes(`resuming ${withCheckpoint.runDir}`))).toBe(true);
    expect(await readFile(join(resumed.runDir!, 'log.txt'), 'utf8')).toMatch(/resumed at step [1-5] /);
  }, 60_000);

  it('evaluate and export jobs produce results; the evaluation per group survives a new JobManager', async () => {
    const { dir } = await finetuneRun(join(work, 'runs'), { catalog: fx.catalog, depth: 10, size: 16, input: 's2' });
    const evaluation = manager.start({ kind: 'evaluate', catalog: fx.catalog, options: { model: dir, split: 'all', by: 'season', batchSize: 8, backend: 'wasm' } });
    const exported = manager.start({ kind: 'export', catalog: fx.catalog, options: { run: dir, formats: ['safetensors'], dest: join(work, 'export') } });
    const evaluated = await when(manager, evaluation.id, (j) => settled(j.state));
    const exportedJob = await when(manager, exported.id, (j) => settled(j.state));

    expect(evaluated.state).toBe('completed');
    const progress: JobProgress = evaluated.progress!;
    expect(progress.step).toBe(progress.totalSteps);
    expect(evaluated.result).toMatchObject({ model: dir, split: 'all', task: 'multi_label' });
    expect(exportedJob.state).toBe('completed');
    expect((exportedJob.result as { files: string[] }).files).toEqual(['model.safetensors', 'model-card.json']);
    expect(existsSync(join(work, 'export', 'model.safetensors'))).toBe(true);

    await manager.close();
    manager = openManager();
    const stored = manager.evaluation(evaluation.id)!;
    const full = stored.result as EvaluationResult;
    expect(stored).toMatchObject({ jobId: evaluation.id, model: dir, split: 'all' });
    expect(full.groups!.map((g) => g.group)).toEqual(['spring', 'summer', 'fall', 'winter']);
    expect(full.groups!.reduce((s, g) => s + g.n, 0)).toBe(full.overall.n);
    expect((evaluated.result as { n: number }).n).toBe(full.overall.n);
    expect(manager.evaluationsOf(dir).map((e) => e.jobId)).toEqual([evaluation.id]);
  }, 60_000);
});
