import * as tf from '@tensorflow/tfjs-core';
import { viewAugment, type PairOptions, type ViewInput } from '../common/training/pair-strategies.js';
import type { Rng } from '../util/rng.js';
import { augmentBatch } from './augment.js';

/**
 * Positive pairs for MoCo from a batch of geo-aligned S1/S2 patches. Each side (query, key) is a
 * list of views; view i of the query and view i of the key cover the same samples, so their
 * features line up row by row after the encoders.
 */
export interface View {
  input: ViewInput;
  x: tf.Tensor4D;
}

export interface PairBatch {
  q: View[];
  k: View[];
}

/** Normalised patches, NHWC: S2 with its 10 bands, S1 with VV, VH. */
export interface SensorBatch {
  s2: tf.Tensor4D;
  s1: tf.Tensor4D;
}

export function makePairs(batch: SensorBatch, opts: PairOptions, rng: Rng): PairBatch {
  // Views are returned in a plain object; tidy keeps the tensors it finds inside.
  return tf.tidy(() => pairsOf(batch, opts, rng) as unknown as tf.TensorContainer) as unknown as PairBatch;
}

function pairsOf(batch: SensorBatch, opts: PairOptions, rng: Rng): PairBatch {
  const augment = viewAugment(opts.strategy, opts.augment);
  const view = (x: tf.Tensor4D) => augmentBatch(x, opts.outSize, augment, rng);
  const n = batch.s2.shape[0];
  switch (opts.strategy) {
    case 'augment': {
      const sensor = opts.sensor ?? 's2';
      // Without blocks one sensor's bands sit in the 12-channel stack, the other zero-filled.
      const stacked = sensor === 'fusion' || opts.inputBlocks === false;
      const input: ViewInput = stacked ? 'fusion' : sensor;
      const x = !stacked ? batch[sensor as 's1' | 's2'] : fuse(sensor === 's1' ? null : batch.s2, sensor === 's2' ? null : batch.s1);
      return { q: [{ input, x: view(x) }], k: [{ input, x: view(x) }] };
    }
    case 'sensor-pairs':
    case 'sensor-pairs+augment': {
      // Half the queries come from S2 with S1 keys, the other half the other way round.
      const half = Math.ceil(n / 2);
      const [s2a, s2b] = splitAt(batch.s2, half);
      const [s1a, s1b] = splitAt(batch.s1, half);
      const side = (s2: tf.Tensor4D | null, s1: tf.Tensor4D | null, first: 's2' | 's1'): View[] => {
        const views: View[] = [];
        const add = (sensor: 's1' | 's2', x: tf.Tensor4D | null) => {
          if (!x) return;
          const fused = opts.inputBlocks === false;
          const input: ViewInput = fused ? 'fusion' : sensor;
          const data = fused ? (sensor === 's2' ? fuse(x, null) : fuse(null, x)) : x;
          views.push({ input, x: view(data) });
        };
        if (first === 's2') {
          add('s2', s2);
          add('s1', s1);
        } else {
          add('s1', s1);
          add('s2', s2);
        }
        return views;
      };
      return { q: side(s2a, s1b, 's2'), k: side(s2b, s1a, 's1') };
    }
    case 'all-fusion': {
      const x = fuse(batch.s2, batch.s1);
      return { q: [{ input: 'fusion', x: view(x) }], k: [{ input: 'fusion', x: view(x) }] };
    }
    case 'partial-fusion': {
      // s1-only, s2-only and s1+s2 samples in equal shares, in a random arrangement.
      const kinds = Array.from({ length: n }, (_, i) => i % 3);
      rng.shuffle(kinds);
      const x = fuseMasked(batch.s2, batch.s1, kinds.map((k) => [k !== 0, k !== 1]));
      return { q: [{ input: 'fusion', x: view(x) }], k: [{ input: 'fusion', x: view(x) }] };
    }
    case 'optional-fusion': {
      // Each view independently keeps both sensors, only S2 or only S1 (never neither).
      const masks = () => Array.from({ length: n }, (): [boolean, boolean] => [[true, true], [true, false], [false, true]][rng.int(3)] as [boolean, boolean]);
      const q = fuseMasked(batch.s2, batch.s1, masks());
      const k = fuseMasked(batch.s2, batch.s1, masks());
      return { q: [{ input: 'fusion', x: view(q) }], k: [{ input: 'fusion', x: view(k) }] };
    }
  }
}

/** The 12-channel fusion layout (S2 10 bands, then VV, VH); a missing sensor is zeros (its mean). */
export function fuse(s2: tf.Tensor4D | null, s1: tf.Tensor4D | null): tf.Tensor4D {
  const ref = (s2 ?? s1)!;
  const [n, h, w] = ref.shape;
  return tf.concat([s2 ?? tf.zeros([n, h, w, 10]), s1 ?? tf.zeros([n, h, w, 2])], 3) as tf.Tensor4D;
}

/** Fusion with per-sample [keepS2, keepS1] masks. */
export function fuseMasked(s2: tf.Tensor4D, s1: tf.Tensor4D, keep: [boolean, boolean][]): tf.Tensor4D {
  const n = s2.shape[0];
  const m2 = tf.tensor4d(keep.map((k) => (k[0] ? 1 : 0)), [n, 1, 1, 1]);
  const m1 = tf.tensor4d(keep.map((k) => (k[1] ? 1 : 0)), [n, 1, 1, 1]);
  return tf.concat([tf.mul(s2, m2), tf.mul(s1, m1)], 3) as tf.Tensor4D;
}

function splitAt(x: tf.Tensor4D, at: number): [tf.Tensor4D | null, tf.Tensor4D | null] {
  const n = x.shape[0];
  const a = at > 0 ? (tf.slice(x, [0, 0, 0, 0], [at, -1, -1, -1]) as tf.Tensor4D) : null;
  const b = at < n ? (tf.slice(x, [at, 0, 0, 0], [n - at, -1, -1, -1]) as tf.Tensor4D) : null;
  return [a, b];
}

/** Releases the tensors of a pair batch. */
export function disposePairs(p: PairBatch): void {
  for (const v of [...p.q, ...p.k]) v.x.dispose();
}
