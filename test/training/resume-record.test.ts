import { readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { readCheckpointIndex } from '../../core/runs/checkpoint-index.js';
import { readMetrics, type MetricRecord } from '../../core/runs/metrics-log.js';
import { resolveFinetuneConfig, type FinetuneConfig } from '../../core/common/training/finetune-config.js';
import { runFinetune } from '../../core/training/finetune.js';
import { resolvePretrainConfig, type PretrainConfig } from '../../core/common/training/pretrain-config.js';
import { runPretrain } from '../../core/training/pretrain.js';
import type { TrainProgress } from '../../core/common/training/progress.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';

// What a run records must not depend on whether it was interrupted: metrics.jsonl line for
// line (throughput aside), the epoch figures, and which step `best` holds.
let fx: Fixture;
let work: string;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 5, patchesPerScene: 6, seed: 17 });
  work = await mkdtemp(join(tmpdir(), 'resume-record-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(work, { recursive: true, force: true });
});

class Killed extends Error {}

/** Stops the training loop at `step` the way a crash would: no cancel checkpoint, nothing flushed after. */
const killAt = (step: number) => (p: TrainProgress) => {
  if (p.step === step) throw new Killed(`killed at step ${step}`);
};

/** The records without throughput, which depends on the clock. */
async function recorded(runDir: string): Promise<MetricRecord[]> {
  return (await readMetrics(runDir)).records.map(({ images_per_second: _, ...r }) => r);
}

async function bestStep(runDir: string): Promise<number | undefined> {
  return (await readCheckpointIndex(join(runDir, 'checkpoints'))).find((e) => e.kind === 'best')?.step;
}

async function onlyRun(dir: string): Promise<string> {
  const dirs = (await readdir(dir)).filter((d) => !d.startsWith('.'));
  expect(dirs).toHaveLength(1);
  return join(dir, dirs[0]);
}

describe('a pretraining run killed mid-epoch and resumed', () => {
  const config = (): PretrainConfig =>
    resolvePretrainConfig({
      catalog: fx.catalog,
      strategy: 'sensor-pairs',
      depth: 10,
      size: 16,
      batchSize: 4,
      epochs: 3,
      queueSize: 8,
      keyMomentum: 0.9,
      checkpointEvery: 2,
      knn: { k: 3, bank: 16, val: 8 },
      seed: 4,
    });

  it('records the same metrics, epoch losses, k-NN figures and best step as an uninterrupted run', async () => {
    const straight = await runPretrain(config(), { runsDir: join(work, 'p-straight') });
    const expected = await recorded(straight.runDir);
    const epochLines = expected.filter((r) => r.epoch_end === true);
    expect(epochLines).toHaveLength(3);
    for (const line of epochLines) expect(typeof line.knn_top1).toBe('number');

    const runs = join(work, 'p-killed');
    // Kills at steps 3, 7 and 11: each mid-epoch and one past a checkpoint (every 2 steps), so
    // a step's line is written twice unless the resume replaces it.
    expect(straight.steps / 3).toBe(4);
    await expect(runPretrain(config(), { runsDir: runs, onProgress: killAt(3) })).rejects.toThrow(Killed);
    const runDir = await onlyRun(runs);
    await expect(runPretrain({ resume: runDir }, { runsDir: runs, onProgress: killAt(7) })).rejects.toThrow(Killed);
    await expect(runPretrain({ resume: runDir }, { runsDir: runs, onProgress: killAt(11) })).rejects.toThrow(Killed);
    const resumed = await runPretrain({ resume: runDir }, { runsDir: runs });
    expect(resumed.status).toBe('completed');

    expect(await recorded(runDir)).toEqual(expected);
    expect(resumed.best).toEqual(straight.best);
    expect(await bestStep(runDir)).toBe(await bestStep(straight.runDir));
  }, 240_000);

  it('refuses to resume a run whose checkpoints are all damaged, and restarts it from step 0 with --restart', async () => {
    const runs = join(work, 'p-damaged');
    await runPretrain(config(), { runsDir: runs, maxSteps: 2 });
    const runDir = await onlyRun(runs);
    const checkpoints = join(runDir, 'checkpoints');
    for (const file of await readdir(checkpoints)) {
      if (file.endsWith('.safetensors')) await writeFile(join(checkpoints, file), 'damaged');
    }
    await expect(runPretrain({ resume: runDir }, { runsDir: runs })).rejects.toThrow(/no valid checkpoint to resume from.*--restart/);
    // The refusal changed nothing: the metrics of the two steps are still there.
    expect((await recorded(runDir)).filter((r) => 'loss' in r).map((r) => r.step)).toEqual([1, 2]);

    const restarted = await runPretrain({ resume: runDir, restart: true }, { runsDir: runs, maxSteps: 1 });
    expect(restarted).toMatchObject({ runDir, steps: 1 });
    expect((await recorded(runDir)).map((r) => r.step)).toEqual([1]);
    expect(await readFile(join(runDir, 'log.txt'), 'utf8')).toMatch(/restarted from step 0: no valid checkpoint.*moved to checkpoints\.unusable-/);
    const aside = (await readdir(runDir)).filter((d) => d.startsWith('checkpoints.unusable-'));
    expect(aside).toHaveLength(1);
    expect((await readdir(join(runDir, aside[0]))).filter((f) => f.endsWith('.safetensors')).length).toBeGreaterThan(0);
  }, 120_000);
});

describe('a finetuning run killed mid-epoch and resumed', () => {
  const config = (extra: Partial<FinetuneConfig> = {}): FinetuneConfig =>
    resolveFinetuneConfig({
      catalog: fx.catalog,
      depth: 10,
      size: 16,
      batchSize: 4,
      epochs: 3,
      checkpointEvery: 2,
      seed: 8,
      ...extra,
    });

  it('records the same metrics, train losses, validation and best step as an uninterrupted run', async () => {
    const straight = await runFinetune(config(), { runsDir: join(work, 'f-straight') });
    const expected = await recorded(straight.runDir);
    expect(expected.filter((r) => r.epoch_end === true)).toHaveLength(3);
    // Kills at steps 3 and 9: mid-epoch, one past the checkpoints of steps 2 and 8.
    expect(straight.steps / 3).toBe(5);

    const runs = join(work, 'f-killed');
    await expect(runFinetune(config(), { runsDir: runs, onProgress: killAt(3) })).rejects.toThrow(Killed);
    const runDir = await onlyRun(runs);
    await expect(runFinetune({ resume: runDir }, { runsDir: runs, onProgress: killAt(9) })).rejects.toThrow(Killed);
    const resumed = await runFinetune({ resume: runDir }, { runsDir: runs });

    expect(await recorded(runDir)).toEqual(expected);
    expect(resumed.best).toEqual(straight.best);
    expect(await bestStep(runDir)).toBe(straight.best!.step);
  }, 240_000);

  it('gives a validation tie to the later epoch', async () => {
    // A linear probe (BatchNorm statistics frozen) at a learning rate this small cannot move a
    // prediction: every epoch validates the same.
    const out = await runFinetune(config({ lr: 1e-30, epochs: 2, freeze: 'linear' }), { runsDir: join(work, 'f-tie') });
    const scores = (await recorded(out.runDir)).filter((r) => r.epoch_end === true).map((r) => (r.validation as { f1_micro: number }).f1_micro);
    expect(scores[0]).toBe(scores[1]);
    expect(out.best?.step).toBe(out.steps);
    expect(await bestStep(out.runDir)).toBe(out.steps);
  }, 120_000);
});
