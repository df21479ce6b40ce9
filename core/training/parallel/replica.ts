import * as tf from '@tensorflow/tfjs-core';
import { isBuffer, type ParamStore } from '../../models/params.js';
import type { View } from '../../sampler/pairs.js';
import { Moco, type MocoHyper } from '../moco.js';
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
 * One data-parallel MoCo replica: Moco's step parts, with the gradients, keys and BatchNorm
 * statistics of all replicas combined between them. With a single share the two halves do
 * exactly what Moco.trainStep does.
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
    // Everything here is host values in, host values out: tidy releases every tensor, also on errors.
    return tf.tidy(() => {
      const k = moco.keys(share.k.map(toView));
      const keys = k.dataSync() as Float32Array;
      const t1 = performance.now();
      const { loss, grads } = moco.gradients(share.q.map(toView), k);
      let at = 0;
      for (const name of this.trainable) {
        const g = grads.get(name)!;
        gradsOut.set(g.dataSync(), at);
        at += g.size;
      }
      return { loss, rows: k.shape[0], keys, stats: this.readStats(), keyForwardMs: t1 - t0, queryForwardBackwardMs: performance.now() - t1 };
    });
  }

  /**
   * The second half of a step, identical on every replica: Moco.applyGradients with the combined
   * gradients and all keys of the batch, then the combined BatchNorm statistics.
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
    const k = tf.tensor2d(keys, [keys.length / moco.queue.dim, moco.queue.dim]);
    try {
      moco.applyGradients(byParam, k, lr);
    } finally {
      tf.dispose([...byParam.values(), k]);
    }
    this.writeStats(stats);
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
