import * as tf from '@tensorflow/tfjs-core';
import { TRAIN } from '../../models/batch-norm.js';
import { isBuffer, type ParamStore } from '../../models/params.js';
import type { View } from '../../sampler/pairs.js';
import { infoNce, l2Normalize } from '../info-nce.js';
import { Moco, forwardViews, type MocoHyper } from '../moco.js';
import { momentumUpdate } from '../momentum-update.js';
import type { HostPairs, HostView } from './shares.js';

/** What one replica computed on its share; its gradients went into the caller's buffer. */
export interface ShareResult {
  /** Mean InfoNCE loss over the share's rows. */
  loss: number;
  rows: number;
  /** L2-normalised keys, [rows, MOCO_DIM], the share's views one after the other. */
  keys: Float32Array;
  /** BatchNorm running statistics of both encoders after this share's forward passes. */
  stats: Float32Array;
  keyForwardMs: number;
  queryForwardBackwardMs: number;
}

/**
 * One data-parallel MoCo replica: Moco.trainStep cut in two so gradients, keys and BatchNorm
 * statistics of all replicas can be combined between the halves. With a single share the two
 * halves do exactly what Moco.trainStep does.
 */
export class Replica {
  readonly moco: Moco;
  /** Gradient buffer layout: the query encoder's trainable parameters in store order. */
  private readonly trainable: string[];
  readonly gradLength: number;
  private readonly buffers: { store: ParamStore; name: string }[];
  private readonly statsLength: number;

  constructor(hyper: MocoHyper, seed: number) {
    this.moco = new Moco(hyper, seed);
    this.trainable = this.moco.query.trainableNames();
    this.gradLength = this.trainable.reduce((n, name) => n + this.moco.query.params.get(name)!.size, 0);
    this.buffers = [this.moco.query.params, this.moco.key.params].flatMap((store) =>
      [...store.keys()].filter(isBuffer).map((name) => ({ store, name })),
    );
    this.statsLength = this.buffers.reduce((n, b) => n + b.store.get(b.name)!.size, 0);
  }

  /** Keys, loss and gradients (written to `gradsOut`, length gradLength) of one share. */
  computeShare(share: HostPairs, gradsOut: Float32Array): ShareResult {
    const { moco } = this;
    const t0 = performance.now();
    const q = share.q.map(toView);
    const kViews = share.k.map(toView);
    try {
      const k = tf.tidy(() => l2Normalize(forwardViews(moco.key, kViews, TRAIN)));
      const keys = k.dataSync() as Float32Array;
      const t1 = performance.now();
      const vars = this.trainable.map((name) => moco.query.params.get(name)!);
      const { value, grads } = tf.variableGrads(
        () => infoNce(l2Normalize(forwardViews(moco.query, q, TRAIN)), k, moco.queue.keys as tf.Tensor2D, moco.hyper.temperature),
        vars,
      );
      let at = 0;
      for (const v of vars) {
        gradsOut.set(grads[v.name].dataSync(), at);
        at += v.size;
      }
      const loss = value.dataSync()[0];
      tf.dispose([value, k, ...Object.values(grads)]);
      return { loss, rows: k.shape[0], keys, stats: this.readStats(), keyForwardMs: t1 - t0, queryForwardBackwardMs: performance.now() - t1 };
    } finally {
      tf.dispose([...q, ...kViews].map((v) => v.x));
    }
  }

  /**
   * The second half of a step, identical on every replica: SGD with the combined gradients, the
   * key encoder's momentum update, the combined BatchNorm statistics, all keys into the queue.
   */
  applyUpdate(grads: Float32Array, stats: Float32Array, keys: Float32Array, lr: number): void {
    const { moco } = this;
    const byParam = new Map<string, tf.Tensor>();
    let at = 0;
    for (const name of this.trainable) {
      const p = moco.query.params.get(name)!;
      byParam.set(name, tf.tensor(grads.subarray(at, at + p.size), p.shape));
      at += p.size;
    }
    moco.optimizer.step(byParam, lr);
    tf.dispose([...byParam.values()]);
    momentumUpdate(moco.key.params, moco.query.params, moco.query.parameterNames(), moco.hyper.keyMomentum);
    this.writeStats(stats);
    const k = tf.tensor2d(keys, [keys.length / moco.queue.dim, moco.queue.dim]);
    moco.queue.enqueue(k);
    k.dispose();
  }

  dispose(): void {
    this.moco.dispose();
  }

  private readStats(): Float32Array {
    const out = new Float32Array(this.statsLength);
    let at = 0;
    for (const { store, name } of this.buffers) {
      const v = store.get(name)!;
      out.set(v.dataSync(), at);
      at += v.size;
    }
    return out;
  }

  private writeStats(stats: Float32Array): void {
    let at = 0;
    for (const { store, name } of this.buffers) {
      const v = store.get(name)!;
      tf.tidy(() => v.assign(tf.tensor(stats.subarray(at, at + v.size), v.shape)));
      at += v.size;
    }
  }
}

function toView(v: HostView): View {
  return { input: v.input, x: tf.tensor4d(v.values, v.shape) };
}
