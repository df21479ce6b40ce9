import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { index } from '../../core/catalog/indexer.js';
import { latestCheckpoint, loadCheckpoint } from '../../core/runs/checkpoint.js';
import { readMetrics } from '../../core/runs/metrics-log.js';
import { synthesize } from '../../core/synth/synthesize.js';
import { resolvePretrainConfig, type PretrainInput } from '../../core/common/training/pretrain-config.js';
import { runPretrain } from '../../core/training/pretrain.js';

// ResNet-10 at 16 px, batch 4 on the wasm backend: small enough for CI, real enough that every
// part of a step (views, both encoders, queue, SGD, momentum, checkpoints) runs.
let dir: string;
let config: PretrainInput;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'pretrain-test-'));
  await synthesize(join(dir, 'data'), { scenes: 2, patchesPerScene: 4, seed: 5 });
  const catalog = join(dir, 'catalog.sqlite');
  await index(join(dir, 'data'), { db: catalog, workers: 1 });
  config = {
    catalog,
    strategy: 'sensor-pairs+augment',
    depth: 10,
    epochs: 3,
    batchSize: 4,
    size: 16,
    queueSize: 8,
    aug: 'aug-set-2',
    selection: { split: 'all', seed: 0 },
    checkpointEvery: 1,
    seed: 11,
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function finalState(runDir: string) {
  const ckpt = await latestCheckpoint(runDir, () => undefined);
  if (!ckpt) throw new Error(`no checkpoint in ${runDir}`);
  return ckpt;
}

function expectSameTensors(a: Map<string, { values: ArrayLike<number> }>, b: Map<string, { values: ArrayLike<number> }>) {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [name, t] of a) {
    const other = b.get(name)!;
    const differs = Array.from(t.values).findIndex((v, i) => !Object.is(v, other.values[i]));
    expect(differs, `${name} differs at element ${differs}`).toBe(-1);
  }
}

describe('MoCo pretraining run', () => {
  it('3 steps, stop, resume 3 steps ends with the same weights, optimizer, key encoder and queue as 6 straight steps', async () => {
    const straight = await runPretrain(resolvePretrainConfig(config), { runsDir: join(dir, 'runs-a') });
    expect(straight).toMatchObject({ status: 'completed', steps: 6, epochs: 3 });

    const first = await runPretrain(resolvePretrainConfig(config), { runsDir: join(dir, 'runs-b'), maxSteps: 3 });
    expect(first.steps).toBe(3);
    const resumed = await runPretrain({ resume: first.runDir }, { runsDir: join(dir, 'runs-b') });
    expect(resumed).toMatchObject({ runDir: first.runDir, status: 'completed', steps: 6 });

    const a = await finalState(straight.runDir);
    const b = await finalState(resumed.runDir);
    expect(b.state.step).toBe(6);
    expectSameTensors(a.model, b.model);
    expectSameTensors(a.extra, b.extra);
    for (const [slot, params] of a.optimizer) expectSameTensors(params, b.optimizer.get(slot)!);
    expect(b.state.extra?.queuePointer).toBe(a.state.extra?.queuePointer);

    const metrics = await readMetrics(resumed.runDir);
    const steps = metrics.records.filter((r) => typeof r.loss === 'number').map((r) => r.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('cancels after the current step with a cancel checkpoint, and the run resumes from it', async () => {
    const controller = new AbortController();
    const cancelled = await runPretrain(resolvePretrainConfig(config), {
      runsDir: join(dir, 'runs-c'),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step === 2) controller.abort();
      },
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', steps: 2 });
    const files = await readdir(join(cancelled.runDir, 'checkpoints'));
    expect(files).toContain('cancel.safetensors');
    expect((await loadCheckpoint(join(cancelled.runDir, 'checkpoints', 'cancel.safetensors'))).state.step).toBe(2);
    const done = await runPretrain({ resume: cancelled.runDir }, { runsDir: join(dir, 'runs-c') });
    expect(done).toMatchObject({ status: 'completed', steps: 6 });
  });

  it('reports progress with loss, lr, throughput and ETA, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    await runPretrain(resolvePretrainConfig({ ...config, epochs: 1 }), {
      runsDir: join(dir, 'runs-d'),
      onProgress: (p) => {
        expect(p.kind).toBe('pretrain');
        expect(Number.isFinite(p.loss) && p.lr > 0 && p.imagesPerSecond > 0 && p.etaSeconds >= 0).toBe(true);
        seen.push(p.step);
      },
    });
    expect(seen).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with 2 workers: 2 steps, stop, resume 2 steps ends exactly as 4 straight steps', async () => {
    const parallel = { ...config, workers: 2, epochs: 2 };
    const straight = await runPretrain(resolvePretrainConfig(parallel), { runsDir: join(dir, 'runs-f') });
    expect(straight).toMatchObject({ status: 'completed', steps: 4 });
    const first = await runPretrain(resolvePretrainConfig(parallel), { runsDir: join(dir, 'runs-g'), maxSteps: 2 });
    const resumed = await runPretrain({ resume: first.runDir }, { runsDir: join(dir, 'runs-g') });
    expect(resumed).toMatchObject({ runDir: first.runDir, status: 'completed', steps: 4 });

    const a = await finalState(straight.runDir);
    const b = await finalState(resumed.runDir);
    expect(b.state.step).toBe(4);
    expectSameTensors(a.model, b.model);
    expectSameTensors(a.extra, b.extra);
    for (const [slot, params] of a.optimizer) expectSameTensors(params, b.optimizer.get(slot)!);
    expect(b.state.extra?.queuePointer).toBe(a.state.extra?.queuePointer);
    expect(resumed.finalLoss).toBe(straight.finalLoss);

    // The replicas really ran: BatchNorm over half batches gives another first loss than one thread.
    const single = await runPretrain(resolvePretrainConfig({ ...parallel, workers: 1 }), { runsDir: join(dir, 'runs-g'), maxSteps: 1 });
    const firstLoss = async (runDir: string) => (await readMetrics(runDir)).records.find((r) => r.step === 1 && typeof r.loss === 'number')!.loss;
    expect(await firstLoss(single.runDir)).not.toBe(await firstLoss(straight.runDir));
  });

  it('refuses more workers than the batch can give 2 rows each', async () => {
    expect(() => resolvePretrainConfig({ ...config, workers: 3 })).toThrow(/workers: 3 workers need a batch size of at least 6 .*got batchSize 4/);
    expect(() => resolvePretrainConfig({ ...config, workers: 17 })).toThrow(/workers/);
  });

  it('refuses a configuration error by name', async () => {
    expect(() => resolvePretrainConfig({ ...config, strategy: 'all-fusion', inputBlocks: true })).toThrow(/inputBlocks/);
    await expect(runPretrain(resolvePretrainConfig({ ...config, batchSize: 64 }), { runsDir: join(dir, 'runs-e') })).rejects.toThrow(/full batch/);
  });
});
