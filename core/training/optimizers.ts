import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../models/params.js';
import { fusedSgdMomentum } from '../backend/native-kernels/optimizer-kernels.js';

/**
 * SGD with momentum and Adam with PyTorch's update rules (weight decay added to the gradient,
 * momentum buffer started at the first gradient), so hyper-parameters from the research's
 * PyTorch code mean the same here. Own implementations rather than tf.train's because the slots
 * must be saved and restored by parameter name for exact resume.
 */
export interface Optimizer {
  /** Applies one update; `grads` is keyed by parameter name (ParamStore key). */
  step(grads: Map<string, tf.Tensor>, lr: number): void;
  /** Slot tensors by "<slot>.<param name>", for checkpoints. */
  slots(): Map<string, tf.Variable>;
  /** Restores slots saved by `slots()`; the step count travels separately. */
  loadSlots(values: Map<string, tf.Tensor>, stepCount: number): void;
  stepCount(): number;
  dispose(): void;
}

export interface SgdOptions {
  momentum: number;
  weightDecay: number;
}

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay: number;
}

abstract class SlottedOptimizer implements Optimizer {
  protected readonly slotVars = new Map<string, tf.Variable>();
  protected steps = 0;

  constructor(
    protected readonly params: ParamStore,
    protected readonly names: string[],
    slotNames: string[],
  ) {
    for (const name of names) {
      const p = params.get(name);
      if (!p) throw new Error(`optimizer: no parameter named "${name}"`);
      for (const slot of slotNames) this.slotVars.set(`${slot}.${name}`, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  abstract step(grads: Map<string, tf.Tensor>, lr: number): void;

  slots(): Map<string, tf.Variable> {
    return this.slotVars;
  }

  loadSlots(values: Map<string, tf.Tensor>, stepCount: number): void {
    for (const [key, v] of this.slotVars) {
      const saved = values.get(key);
      if (!saved) throw new Error(`optimizer state: missing slot "${key}"`);
      if (!tf.util.arraysEqual(saved.shape, v.shape))
        throw new Error(`optimizer state: slot "${key}" has shape [${saved.shape}], expected [${v.shape}]`);
      v.assign(saved);
    }
    this.steps = stepCount;
  }

  stepCount(): number {
    return this.steps;
  }

  dispose(): void {
    for (const v of this.slotVars.values()) v.dispose();
    this.slotVars.clear();
  }

  protected gradOf(grads: Map<string, tf.Tensor>, name: string): tf.Tensor | undefined {
    return grads.get(name);
  }
}

export class Sgd extends SlottedOptimizer {
  constructor(params: ParamStore, names: string[], private readonly opts: SgdOptions) {
    super(params, names, opts.momentum > 0 ? ['momentum'] : []);
  }

  step(grads: Map<string, tf.Tensor>, lr: number): void {
    const { momentum, weightDecay } = this.opts;
    tf.tidy(() => {
      for (const name of this.names) {
        const g = this.gradOf(grads, name);
        if (!g) continue;
        const p = this.params.get(name)!;
        if (momentum > 0) {
          const buf = this.slotVars.get(`momentum.${name}`)!;
          const fused = fusedSgdMomentum(p, g, buf, { lr, momentum, weightDecay });
          if (fused) {
            buf.assign(fused[1]);
            p.assign(fused[0]);
            continue;
          }
        }
        const d = weightDecay > 0 ? tf.add(g, tf.mul(p, weightDecay)) : g;
        let update = d;
        if (momentum > 0) {
          const buf = this.slotVars.get(`momentum.${name}`)!;
          // PyTorch starts the buffer at the first gradient: with a zero buffer that is m*0 + d.
          const next = tf.add(tf.mul(buf, momentum), d);
          buf.assign(next);
          update = next;
        }
        p.assign(tf.sub(p, tf.mul(update, lr)));
      }
    });
    this.steps++;
  }
}

export class Adam extends SlottedOptimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(params: ParamStore, names: string[], private readonly opts: AdamOptions) {
    super(params, names, ['exp_avg', 'exp_avg_sq']);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
  }

  step(grads: Map<string, tf.Tensor>, lr: number): void {
    const t = this.steps + 1;
    const bc1 = 1 - this.beta1 ** t;
    const bc2 = 1 - this.beta2 ** t;
    tf.tidy(() => {
      for (const name of this.names) {
        const g0 = this.gradOf(grads, name);
        if (!g0) continue;
        const p = this.params.get(name)!;
        const g = this.opts.weightDecay > 0 ? tf.add(g0, tf.mul(p, this.opts.weightDecay)) : g0;
        const m = this.slotVars.get(`exp_avg.${name}`)!;
        const v = this.slotVars.get(`exp_avg_sq.${name}`)!;
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(m1);
        v.assign(v1);
        const denom = tf.add(tf.sqrt(tf.div(v1, bc2)), this.eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m1, denom), lr / bc1)));
      }
    });
    this.steps = t;
  }
}
