import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUG_PRESETS } from '../../core/common/training/augment-presets.js';
import { disposePairs, makePairs, type SensorBatch } from '../../core/sampler/pairs.js';
import { Rng } from '../../core/util/rng.js';

/** Sample i has S2 bands all equal to 100+i and S1 bands equal to -(100+i): views reveal their source. */
function batch(n: number, size = 4): SensorBatch {
  const s2 = tf.tidy(() => tf.mul(tf.ones([n, size, size, 10]), tf.reshape(tf.add(tf.range(0, n), 100), [n, 1, 1, 1])));
  const s1 = tf.tidy(() => tf.neg(tf.mul(tf.ones([n, size, size, 2]), tf.reshape(tf.add(tf.range(0, n), 100), [n, 1, 1, 1]))));
  return { s2: s2 as tf.Tensor4D, s1: s1 as tf.Tensor4D };
}

const sampleValues = (x: tf.Tensor4D, channel: number) =>
  Array.from(tf.tidy(() => tf.reshape(tf.slice(x, [0, 0, 0, channel], [-1, 1, 1, 1]), [-1])).dataSync());

describe('makePairs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('sensor-pairs: S2 queries with S1 keys for half the batch, the other way round for the rest', () => {
    const p = makePairs(batch(6), { strategy: 'sensor-pairs', augment: AUG_PRESETS['aug-set-2'], outSize: 4 }, new Rng(1));
    expect(p.q.map((v) => v.input)).toEqual(['s2', 's1']);
    expect(p.k.map((v) => v.input)).toEqual(['s1', 's2']);
    expect(sampleValues(p.q[0].x, 0)).toEqual([100, 101, 102]);
    expect(sampleValues(p.k[0].x, 0)).toEqual([-100, -101, -102]);
    expect(sampleValues(p.q[1].x, 0)).toEqual([-103, -104, -105]);
    expect(sampleValues(p.k[1].x, 0)).toEqual([103, 104, 105]);
    expect(p.q[0].x.shape[3]).toBe(10);
    expect(p.k[0].x.shape[3]).toBe(2);
  });

  it('sensor-pairs without input blocks zero-fill into the 12-channel fusion layout', () => {
    const p = makePairs(batch(2), { strategy: 'sensor-pairs', augment: AUG_PRESETS.none, outSize: 4, inputBlocks: false }, new Rng(1));
    expect(p.q.every((v) => v.input === 'fusion' && v.x.shape[3] === 12)).toBe(true);
    // Query 0 is S2: channels 0..9 hold it, VV/VH (10, 11) are zero.
    expect(sampleValues(p.q[0].x, 0)).toEqual([100]);
    expect(sampleValues(p.q[0].x, 10)).toEqual([0]);
    expect(sampleValues(p.k[0].x, 0)).toEqual([0]);
    expect(sampleValues(p.k[0].x, 11)).toEqual([-100]);
  });

  it('augment on one sensor gives two views of the same samples', () => {
    const p = makePairs(batch(3, 8), { strategy: 'augment', sensor: 's1', augment: AUG_PRESETS['aug-set-1'], outSize: 4 }, new Rng(2));
    expect(p.q[0].x.shape).toEqual([3, 4, 4, 2]);
    expect(sampleValues(p.q[0].x, 1)).toEqual([-100, -101, -102]);
    expect(sampleValues(p.k[0].x, 1)).toEqual([-100, -101, -102]);
  });

  it('partial-fusion mixes s1-only, s2-only and both in equal shares', () => {
    const p = makePairs(batch(9), { strategy: 'partial-fusion', augment: AUG_PRESETS.none, outSize: 4 }, new Rng(3));
    const s2 = sampleValues(p.q[0].x, 0);
    const s1 = sampleValues(p.q[0].x, 10);
    const kinds = s2.map((v, i) => (v !== 0 && s1[i] !== 0 ? 'both' : v !== 0 ? 's2' : 's1'));
    expect(kinds.filter((k) => k === 'both')).toHaveLength(3);
    expect(kinds.filter((k) => k === 's2')).toHaveLength(3);
    expect(kinds.filter((k) => k === 's1')).toHaveLength(3);
    // Query and key of a sample see the same modalities.
    expect(sampleValues(p.k[0].x, 0)).toEqual(s2);
  });

  it('optional-fusion drops a sensor at random per view, never both', () => {
    const p = makePairs(batch(30), { strategy: 'optional-fusion', augment: AUG_PRESETS.none, outSize: 4 }, new Rng(4));
    for (const v of [p.q[0], p.k[0]]) {
      const s2 = sampleValues(v.x, 0);
      const s1 = sampleValues(v.x, 10);
      expect(s2.every((x, i) => x !== 0 || s1[i] !== 0)).toBe(true);
      expect(s2.some((x) => x === 0)).toBe(true);
      expect(s1.some((x) => x === 0)).toBe(true);
    }
    expect(sampleValues(p.q[0].x, 0)).not.toEqual(sampleValues(p.k[0].x, 0));
  });

  it('all-fusion stacks both sensors', () => {
    const p = makePairs(batch(2), { strategy: 'all-fusion', augment: AUG_PRESETS.none, outSize: 4 }, new Rng(1));
    expect(sampleValues(p.q[0].x, 0)).toEqual([100, 101]);
    expect(sampleValues(p.q[0].x, 10)).toEqual([-100, -101]);
  });

  it('keeps nothing but the returned views', () => {
    const b = batch(6, 8);
    const opts = { strategy: 'sensor-pairs+augment', augment: AUG_PRESETS['aug-set-3'], outSize: 4 } as const;
    disposePairs(makePairs(b, opts, new Rng(1)));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) disposePairs(makePairs(b, opts, new Rng(i)));
    expect(tf.memory().numTensors).toBe(before);
  });
});
