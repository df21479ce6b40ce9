import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../core/backend/select.js';
import type { HostTensor } from '../../../core/formats/host-tensor.js';
import { AUG_PRESETS } from '../../../core/common/training/augment-presets.js';
import { makePairs, type PairBatch } from '../../../core/sampler/pairs.js';
import { infoNce, l2Normalize } from '../../../core/training/info-nce.js';
import { Moco, forwardViews, type MocoHyper } from '../../../core/training/moco.js';
import { MOCO_DEFAULTS } from '../../../core/common/training/pretrain-config.js';
import { readMocoState, type MocoState } from '../../../core/training/parallel/moco-state.js';
import { ParallelMoco } from '../../../core/training/parallel/parallel-moco.js';
import { Rng } from '../../../core/util/rng.js';

const SIZE = 16;
const BATCH = 4;
const LR = 0.03;
const FORWARD_ONLY = { training: true, updateStats: false };

function randomTensor(rng: Rng, shape: [number, number, number, number]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape);
}

function fusionPairs(rng: Rng): PairBatch {
  return { q: [{ input: 'fusion', x: randomTensor(rng, [BATCH, SIZE, SIZE, 12]) }], k: [{ input: 'fusion', x: randomTensor(rng, [BATCH, SIZE, SIZE, 12]) }] };
}

/** Names of the entries whose values differ in any bit (empty when the states are identical). */
function differences(a: MocoState, b: MocoState): string[] {
  const differs = (x: HostTensor, y: HostTensor | undefined) =>
    !y || x.shape.join() !== y.shape.join() || x.values.some((v, i) => !Object.is(v, y.values[i]));
  const out: string[] = [];
  for (const part of ['query', 'key', 'slots'] as const) {
    if (a[part].size !== b[part].size) out.push(`${part}: ${a[part].size} vs ${b[part].size} entries`);
    for (const [name, v] of a[part]) if (differs(v, b[part].get(name))) out.push(`${part}.${name}`);
  }
  if (differs(a.queue, b.queue)) out.push('queue');
  if (a.queuePointer !== b.queuePointer) out.push('queuePointer');
  if (a.stepCount !== b.stepCount) out.push('stepCount');
  return out;
}

const rowsOf = (x: tf.Tensor4D, start: number, count: number) => tf.slice(x, [start, 0, 0, 0], [count, -1, -1, -1]) as tf.Tensor4D;

beforeAll(async () => {
  await initBackend({ purpose: 'train' });
});

describe('ParallelMoco with one worker (ResNet-10, sensor pairs through 1x1 blocks, 16x16, batch 4)', () => {
  const hyper: MocoHyper = { ...MOCO_DEFAULTS, depth: 10, encoder: { inputBlocks: ['s1', 's2'] }, queueSize: 16 };
  let parallel: ParallelMoco;
  let pairs: PairBatch;

  beforeAll(async () => {
    const rng = new Rng(21);
    const batch = { s2: randomTensor(rng, [BATCH, SIZE, SIZE, 10]), s1: randomTensor(rng, [BATCH, SIZE, SIZE, 2]) };
    pairs = makePairs(batch, { strategy: 'sensor-pairs', augment: AUG_PRESETS.none, outSize: SIZE }, rng);
    tf.dispose([batch.s1, batch.s2]);
    parallel = await ParallelMoco.create(hyper, 3, { workers: 1 });
  });
  afterAll(async () => {
    await parallel.dispose();
  });

  it('takes exactly the step Moco takes: loss, both encoders, optimizer slots and queue', async () => {
    expect(pairs.q).toHaveLength(2);
    const moco = new Moco(hyper, 3);
    try {
      for (let step = 0; step < 2; step++) {
        const expected = moco.trainStep(pairs, LR).loss;
        expect((await parallel.trainStep(pairs, LR)).loss).toBe(expected);
      }
      expect(differences(await readMocoState(moco), await parallel.state())).toEqual([]);
    } finally {
      moco.dispose();
    }
  });

  it('restores a saved state and continues exactly as before', async () => {
    const saved = await parallel.state();
    const { loss } = await parallel.trainStep(pairs, LR);
    const after = await parallel.state();
    await parallel.restore(saved, 'test-checkpoint');
    expect(differences(await parallel.state(), saved)).toEqual([]);
    expect((await parallel.trainStep(pairs, LR)).loss).toBe(loss);
    expect(differences(await parallel.state(), after)).toEqual([]);
  });

  it('stops its worker on dispose and rejects the step in flight', async () => {
    const running = parallel.trainStep(pairs, LR);
    await parallel.dispose();
    await expect(running).rejects.toThrow(/MoCo replica worker 0 was stopped/);
    await expect(parallel.trainStep(pairs, LR)).rejects.toThrow();
  });
});

describe('ParallelMoco with two workers (ResNet-10, fusion, 16x16, batch 4)', () => {
  const hyper: MocoHyper = { ...MOCO_DEFAULTS, depth: 10, encoder: { inChannels: 12 }, queueSize: 16 };
  const seed = 8;
  let parallel: ParallelMoco;
  let pairs: PairBatch;

  beforeAll(async () => {
    pairs = fusionPairs(new Rng(22));
    parallel = await ParallelMoco.create(hyper, seed, { workers: 2 });
  });
  afterAll(async () => {
    await parallel.dispose();
  });

  it('averages the two halves: loss, gradients, BatchNorm statistics; keys enqueued in row order', async () => {
    // The same computation done directly on this thread, each half of the batch on its own.
    const reference = new Moco(hyper, seed);
    const names = reference.query.trainableNames();
    const halves = [0, 2].map((start) => ({ q: [{ input: 'fusion' as const, x: rowsOf(pairs.q[0].x, start, 2) }], k: [{ input: 'fusion' as const, x: rowsOf(pairs.k[0].x, start, 2) }] }));
    const keys = halves.map((h) => tf.tidy(() => l2Normalize(forwardViews(reference.key, h.k, FORWARD_ONLY))));
    const perHalf = halves.map((h, i) =>
      tf.variableGrads(
        () => infoNce(l2Normalize(forwardViews(reference.query, h.q, FORWARD_ONLY)), keys[i], reference.queue.keys as tf.Tensor2D, hyper.temperature),
        names.map((n) => reference.query.params.get(n)!),
      ),
    );
    const keyStats = halves.map((h) => {
      const copy = reference.key.clone();
      tf.tidy(() => forwardViews(copy, h.k, { training: true, updateStats: true }));
      const v = copy.params.get('layer2.0.bn1.running_var')!.dataSync().slice();
      copy.dispose();
      return v;
    });

    const { loss } = await parallel.trainStep(pairs, LR);
    const state = await parallel.state();

    const losses = perHalf.map((r) => r.value.dataSync()[0]);
    expect(loss).toBeCloseTo((losses[0] + losses[1]) / 2, 5);
    // First SGD step with momentum: p1 = p0 - lr * (mean gradient + wd * p0).
    for (const name of ['conv1.weight', 'layer3.0.conv2.weight', 'layer4.0.bn2.weight', 'head.2.bias']) {
      const p0 = reference.query.params.get(name)!.dataSync();
      const varName = reference.query.params.get(name)!.name;
      const g = perHalf.map((r) => r.grads[varName].dataSync());
      const got = state.query.get(name)!.values;
      let worst = 0;
      let scale = 0;
      got.forEach((v, i) => {
        const expected = p0[i] - LR * ((g[0][i] + g[1][i]) / 2 + hyper.weightDecay * p0[i]);
        worst = Math.max(worst, Math.abs(v - expected));
        scale = Math.max(scale, Math.abs(p0[i] - v));
      });
      // Errors far below the step's own size: the update used the mean of the two gradients.
      expect(scale).toBeGreaterThan(0);
      expect(worst, name).toBeLessThan(1e-3 * scale);
    }
    const statsGot = state.key.get('layer2.0.bn1.running_var')!.values;
    statsGot.forEach((v, i) => expect(v).toBeCloseTo((keyStats[0][i] + keyStats[1][i]) / 2, 5));
    // Worker 0's keys (rows 0-1), then worker 1's (rows 2-3), at the front of the queue.
    const expectedKeys = [...keys[0].dataSync(), ...keys[1].dataSync()];
    Array.from(state.queue.values.subarray(0, expectedKeys.length)).forEach((v, i) => expect(v).toBeCloseTo(expectedKeys[i], 5));
    expect(state.queuePointer).toBe(BATCH);

    tf.dispose([...keys, ...halves.flatMap((h) => [h.q[0].x, h.k[0].x]), ...perHalf.flatMap((r) => [r.value, ...Object.values(r.grads)])]);
    reference.dispose();
  });

  it('keeps the replicas identical, bit for bit, and leaks no tensors on the calling thread', async () => {
    const before = tf.memory().numTensors;
    await parallel.trainStep(pairs, LR);
    expect(tf.memory().numTensors).toBe(before);
    const [a, b] = [await parallel.state(0), await parallel.state(1)];
    expect(a.stepCount).toBe(2);
    expect(differences(a, b)).toEqual([]);
  });

  it('rejects a step a worker fails, naming the worker, and every step after it', async () => {
    const rng = new Rng(23);
    const wrong: PairBatch = { q: [{ input: 'fusion', x: randomTensor(rng, [BATCH, SIZE, SIZE, 3]) }], k: [{ input: 'fusion', x: randomTensor(rng, [BATCH, SIZE, SIZE, 3]) }] };
    // Both workers fail; the step reports whichever failed first.
    const failed = await parallel.trainStep(wrong, LR).then(() => null, (err: Error) => err);
    expect(failed?.message).toMatch(/^MoCo replica worker [01]: ResNet-10 expects NHWC input with 12 channels/);
    await expect(parallel.trainStep(pairs, LR)).rejects.toThrow(failed!.message);
    tf.dispose([wrong.q[0].x, wrong.k[0].x]);
  });

  it('rejects the next step, naming the worker, once a worker has died', async () => {
    await parallel.replicas[1].worker.terminate();
    await expect(parallel.trainStep(pairs, LR)).rejects.toThrow(/MoCo replica worker 1 exited unexpectedly/);
    await expect(parallel.state()).rejects.toThrow(/MoCo replica worker 1/);
  });
});

describe('ParallelMoco start-up', () => {
  it('refuses a worker count that is not a positive integer', async () => {
    const hyper: MocoHyper = { ...MOCO_DEFAULTS, depth: 10, encoder: { inChannels: 12 }, queueSize: 16 };
    await expect(ParallelMoco.create(hyper, 1, { workers: 0 })).rejects.toThrow(/workers must be a positive integer, got 0/);
  });

  it('rejects, naming the worker, when a replica cannot be built', async () => {
    const hyper = { ...MOCO_DEFAULTS, depth: 11, encoder: { inChannels: 12 }, queueSize: 16 } as unknown as MocoHyper;
    await expect(ParallelMoco.create(hyper, 1, { workers: 1 })).rejects.toThrow(/MoCo replica worker 0 could not start: .*depth/);
  });
});
