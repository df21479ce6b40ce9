import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUG_PRESETS } from '../../core/common/training/augment-presets.js';
import { disposePairs, makePairs, type SensorBatch } from '../../core/sampler/pairs.js';
import { initBackend } from '../../core/backend/select.js';
import { Moco } from '../../core/training/moco.js';
import { MOCO_DEFAULTS } from '../../core/common/training/pretrain-config.js';
import { Rng } from '../../core/util/rng.js';

function randomBatch(rng: Rng, n: number, size: number): SensorBatch {
  const s2 = tf.tensor4d(Float32Array.from({ length: n * size * size * 10 }, () => rng.normal()), [n, size, size, 10]);
  const s1 = tf.tensor4d(Float32Array.from({ length: n * size * size * 2 }, () => rng.normal()), [n, size, size, 2]);
  return { s2, s1 };
}

const values = (v: tf.Variable) => Array.from(v.dataSync());

describe('MoCo training step (ResNet-10 on wasm, tiny shapes)', () => {
  beforeAll(async () => {
    await initBackend({ purpose: 'train', prefer: 'wasm' });
  });

  const hyper = { ...MOCO_DEFAULTS, depth: 10 as const, encoder: { inputBlocks: ['s1', 's2'] as const }, queueSize: 16 };

  it('updates the query by SGD, the key by momentum, and enqueues the keys', () => {
    const moco = new Moco({ ...hyper, encoder: { inputBlocks: ['s1', 's2'] } }, 1);
    const rng = new Rng(2);
    const batch = randomBatch(rng, 4, 16);
    const name = 'layer1.0.conv1.weight';
    const q0 = values(moco.query.params.get(name)!);
    expect(values(moco.key.params.get(name)!)).toEqual(q0);
    const queue0 = (moco.queue.keys.arraySync() as number[][]).slice(4);

    const pairs = makePairs(batch, { strategy: 'sensor-pairs', augment: AUG_PRESETS.none, outSize: 16 }, rng);
    const { loss } = moco.trainStep(pairs, 0.03);
    disposePairs(pairs);

    expect(Number.isFinite(loss)).toBe(true);
    const q1 = values(moco.query.params.get(name)!);
    const k1 = values(moco.key.params.get(name)!);
    expect(q1).not.toEqual(q0);
    // k = 0.999 * q0 + 0.001 * q1 for every element.
    k1.forEach((k, i) => expect(k).toBeCloseTo(0.999 * q0[i] + 0.001 * q1[i], 6));
    // Four new unit-length keys at the front, the rest untouched.
    const queue1 = moco.queue.keys.arraySync() as number[][];
    for (const row of queue1.slice(0, 4)) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    expect(queue1.slice(4)).toEqual(queue0);
    expect(moco.queue.pointer()).toBe(4);
    moco.dispose();
  });

  it('keeps the tensor count flat across steps (fusion input, no blocks)', () => {
    const moco = new Moco({ ...hyper, encoder: { inChannels: 12 } }, 5);
    const rng = new Rng(6);
    const batch = randomBatch(rng, 4, 16);
    const step = () => {
      const pairs = makePairs(batch, { strategy: 'all-fusion', augment: AUG_PRESETS['aug-set-2'], outSize: 16 }, rng);
      moco.trainStep(pairs, 0.03);
      disposePairs(pairs);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    moco.dispose();
  });
});
