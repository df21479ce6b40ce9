import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from '../formats/host-tensor.js';
import { EVAL } from '../models/batch-norm.js';
import type { EncoderConfig } from '../models/encoder.js';
import { fuse } from '../sampler/pairs.js';
import type { PatchItem } from '../sampler/patch-items.js';
import { singleTargets } from '../sampler/targets.js';
import type { TensorSource } from '../sampler/tensor-source.js';
import { Rng } from '../util/rng.js';
import { encoderFromWeights } from '../weights/encoder-weights.js';
import type { KnnMonitorConfig } from '../common/training/pretrain-config.js';

/** Similarity weighting of the neighbours' votes (InstDisc's and MoCo's k-NN monitor). */
export const KNN_TEMPERATURE = 0.07;
const CLASSES = 10;

/**
 * MoCo's usual pretraining monitor: label the validation patches by a weighted vote of their k
 * nearest labelled train patches in the query encoder's pooled-feature space (cosine similarity,
 * weights exp(sim / 0.07)), single-label simplified classes. Unlike the InfoNCE loss, which rises
 * while the queue fills with real keys, this rises as the features become useful.
 */
export class KnnMonitor {
  private constructor(
    private readonly config: KnnMonitorConfig,
    private readonly bank: PatchItem[],
    private readonly val: PatchItem[],
  ) {}

  /**
   * The bank is a seeded sample of the pretraining patches, the validation set one of the
   * held-out patches. Null when there are no validation patches.
   */
  static create(config: KnnMonitorConfig, train: PatchItem[], val: PatchItem[], seed: number): KnnMonitor | null {
    if (val.length === 0 || train.length === 0) return null;
    const rng = new Rng(seed).fork('knn');
    return new KnnMonitor(config, sample(train, config.bank, rng.fork('bank')), sample(val, config.val, rng.fork('val')));
  }

  get sizes(): { bank: number; val: number; k: number } {
    return { bank: this.bank.length, val: this.val.length, k: Math.min(this.config.k, this.bank.length) };
  }

  /** Top-1 accuracy of the query encoder `weights` (a MoCo state's query map). */
  async accuracy(weights: ReadonlyMap<string, HostTensor>, encoder: EncoderConfig, source: TensorSource, batchSize: number): Promise<number> {
    // Pooled features come before the projection head, as in a linear or k-NN evaluation.
    const backbone = new Map([...weights].filter(([name]) => !name.startsWith('head.')));
    const model = encoderFromWeights({ ...encoder, head: undefined }, backbone, 'k-NN monitor');
    try {
      const features = async (items: PatchItem[]) => {
        const parts: tf.Tensor2D[] = [];
        for (let at = 0; at < items.length; at += batchSize) {
          const a = await source.load(items.slice(at, at + batchSize));
          parts.push(
            tf.tidy(() => {
              const s2 = tf.tensor4d(a.s2, [a.n, a.size, a.size, 10]);
              const s1 = tf.tensor4d(a.s1, [a.n, a.size, a.size, 2]);
              // Blocks: the S2 view the finetunes mostly use; no blocks: the 12-channel stack.
              const x = (model.config.inputBlocks ?? []).includes('s2') ? model.forwardInput(s2, 's2', EVAL) : fuse(s2, s1);
              return l2Rows(model.forwardBackbone(x, EVAL));
            }),
          );
        }
        const all = tf.concat(parts, 0) as tf.Tensor2D;
        tf.dispose(parts);
        return all;
      };
      const bank = await features(this.bank);
      const val = await features(this.val);
      const predicted = knnPredict(bank, singleTargets(this.bank, CLASSES), val, this.sizes.k, CLASSES);
      tf.dispose([bank, val]);
      const truth = singleTargets(this.val, CLASSES);
      return predicted.reduce((hits, p, i) => hits + (p === truth[i] ? 1 : 0), 0) / truth.length;
    } finally {
      model.dispose();
    }
  }
}

function sample<T>(items: T[], n: number, rng: Rng): T[] {
  const order = items.map((_, i) => i);
  rng.shuffle(order);
  return order.slice(0, n).map((i) => items[i]);
}

function l2Rows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12));
}

/**
 * Weighted k-NN vote over L2-normalised rows: each of a query's k most similar bank rows adds
 * exp(sim / T) to its class; the class with the largest sum wins (ties: the lower class).
 */
export function knnPredict(bank: tf.Tensor2D, bankLabels: Int32Array, queries: tf.Tensor2D, k: number, classes: number): Int32Array {
  const { values, indices } = tf.tidy(() => tf.topk(tf.matMul(queries, bank, false, true), k));
  const sims = values.dataSync();
  const idx = indices.dataSync();
  tf.dispose([values, indices]);
  const out = new Int32Array(queries.shape[0]);
  const votes = new Float64Array(classes);
  for (let q = 0; q < out.length; q++) {
    votes.fill(0);
    for (let j = q * k; j < (q + 1) * k; j++) votes[bankLabels[idx[j]]] += Math.exp(sims[j] / KNN_TEMPERATURE);
    out[q] = votes.indexOf(Math.max(...votes));
  }
  return out;
}
