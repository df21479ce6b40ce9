import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/rng.js';
import { AUG_PRESETS, augmentBatch, type AugmentConfig } from './augment.js';

/**
 * Positive pairs for MoCo from a batch of geo-aligned S1/S2 patches. Each side (query, key) is a
 * list of views; view i of the query and view i of the key cover the same samples, so their
 * features line up row by row after the encoders.
 */
export const PAIR_STRATEGIES = [
  'augment',
  'sensor-pairs',
  'sensor-pairs+augment',
  'all-fusion',
  'partial-fusion',
  'optional-fusion',
] as const;
export type PairStrategy = (typeof PAIR_STRATEGIES)[number];

/** Which input a view feeds: a sensor's own bands (through its 1x1 block) or the 12-channel fusion. */
export type ViewInput = 's1' | 's2' | 'fusion';

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

export interface PairOptions {
  strategy: PairStrategy;
  augment: AugmentConfig;
  outSize: number;
  /** For `augment`: which input both views come from. */
  sensor?: ViewInput;
  /**
   * Sensor pairs through per-sensor 1x1 input blocks (the research's set-up). Without blocks both
   * sensors are zero-filled into the 12-channel fusion layout so one backbone accepts either.
   */
  inputBlocks?: boolean;
}

const NO_AUG: AugmentConfig = AUG_PRESETS.none;

/**
 * The augmentation each view really gets. `sensor-pairs` applies none: the other sensor is the
 * view. Every other strategy augments both views with the run's preset.
 */
export function viewAugment(strategy: PairStrategy, augment: AugmentConfig): AugmentConfig {
  return strategy === 'sensor-pairs' ? NO_AUG : augment;
}

/** What the query or key views of a strategy are made of, as written into a run's config. */
export interface ViewRecord {
  inputs: string;
  augment: AugmentConfig;
}

/** The query and key views a strategy makes (the rule pairsOf follows, in words and settings). */
export function describeViews(opts: PairOptions): { q: ViewRecord; k: ViewRecord } {
  const augment = viewAugment(opts.strategy, opts.augment);
  const stack = 'S2 10 bands + S1 VV, VH stacked (12 channels)';
  const via = (sensor: string) => (opts.inputBlocks === false ? `${sensor} zero-filled into the 12-channel stack` : `${sensor} through its 1x1 input block`);
  const both = (inputs: string) => ({ q: { inputs, augment }, k: { inputs, augment } });
  switch (opts.strategy) {
    case 'augment': {
      const input = opts.sensor ?? 's2';
      return both(input === 'fusion' ? stack : via(input));
    }
    case 'sensor-pairs':
    case 'sensor-pairs+augment':
      return {
        q: { inputs: `${via('s2')} for the first half of the batch, ${via('s1')} for the second`, augment },
        k: { inputs: `the same patches' other sensor: ${via('s1')} for the first half, ${via('s2')} for the second`, augment },
      };
    case 'all-fusion':
      return both(stack);
    case 'partial-fusion':
      return both(`${stack}; per sample S1 only, S2 only or both (the missing sensor zero-filled), in equal shares, the same for both views`);
    case 'optional-fusion':
      return both(`${stack}; per sample and view independently both sensors, S2 only or S1 only (the missing one zero-filled)`);
  }
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
