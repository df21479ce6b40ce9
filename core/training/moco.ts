import * as tf from '@tensorflow/tfjs-core';
import { Encoder, type EncoderConfig } from '../models/encoder.js';
import { MOCO_DIM } from '../models/heads.js';
import { TRAIN, type BatchNormMode } from '../models/batch-norm.js';
import type { ResNetDepth } from '../common/training/model-options.js';
import type { PairBatch, View } from '../sampler/pairs.js';
import { Rng } from '../util/rng.js';
import { infoNce, l2Normalize } from './info-nce.js';
import { KeyQueue } from './key-queue.js';
import { momentumUpdate } from './momentum-update.js';
import { Sgd } from './optimizers.js';

/** MoCo-v2's hyper-parameters (defaults: the research's, from the reference code). */
export interface MocoHyper {
  depth: ResNetDepth;
  /** Per-sensor 1x1 input blocks (sensor pairs) or raw channels into the backbone. */
  encoder: Pick<EncoderConfig, 'inputBlocks' | 'inChannels' | 'freezeInputBlocks'>;
  queueSize: number;
  /** Key-encoder momentum m in k = m*k + (1-m)*q. */
  keyMomentum: number;
  temperature: number;
  sgdMomentum: number;
  weightDecay: number;
}


export interface MocoStepResult {
  loss: number;
}

/**
 * The MoCo-v2 model: query encoder (trained by SGD), key encoder (momentum copy) and queue. One
 * `trainStep` is one iteration of the reference training loop: `keys`, `gradients`,
 * `applyGradients` in turn. Data-parallel replicas call the three parts themselves, to combine
 * keys, gradients and BatchNorm statistics between them.
 */
export class Moco {
  readonly query: Encoder;
  readonly key: Encoder;
  readonly queue: KeyQueue;
  readonly optimizer: Sgd;
  /** Variable name -> ParamStore name, to read tf.variableGrads' result by parameter. */
  private readonly gradNames: Map<string, string>;

  constructor(
    readonly hyper: MocoHyper,
    seed: number,
  ) {
    const config: EncoderConfig = { depth: hyper.depth, ...hyper.encoder, head: { kind: 'projection', dim: MOCO_DIM } };
    this.query = Encoder.create(config, seed);
    // The key encoder starts as an exact copy of the query encoder, as in the reference.
    this.key = this.query.clone();
    const rng = new Rng(seed).fork('queue');
    const init = new Float32Array(hyper.queueSize * MOCO_DIM);
    for (let i = 0; i < init.length; i++) init[i] = rng.normal();
    this.queue = new KeyQueue(hyper.queueSize, MOCO_DIM, normalizeRows(init, MOCO_DIM));
    const names = this.query.trainableNames();
    this.optimizer = new Sgd(this.query.params, names, { momentum: hyper.sgdMomentum, weightDecay: hyper.weightDecay });
    this.gradNames = new Map(names.map((n) => [this.query.params.get(n)!.name, n]));
  }

  trainStep(pairs: PairBatch, lr: number): MocoStepResult {
    const k = this.keys(pairs.k);
    const { loss, grads } = this.gradients(pairs.q, k);
    this.applyGradients(grads, k, lr);
    tf.dispose([k, ...grads.values()]);
    return { loss };
  }

  /** The key views' L2-normalised keys, [rows, MOCO_DIM] (updates the key encoder's BatchNorm statistics). */
  keys(views: View[]): tf.Tensor2D {
    // Keys carry no gradient: computed outside variableGrads.
    return tf.tidy(() => l2Normalize(forwardViews(this.key, views, TRAIN)));
  }

  /** InfoNCE loss of the query views against `keys` and the queue, and its gradients by ParamStore name. */
  gradients(views: View[], keys: tf.Tensor2D): { loss: number; grads: Map<string, tf.Tensor> } {
    const vars = [...this.gradNames.values()].map((name) => this.query.params.get(name)!);
    const { value, grads } = tf.variableGrads(
      () => infoNce(l2Normalize(forwardViews(this.query, views, TRAIN)), keys, this.queue.keys as tf.Tensor2D, this.hyper.temperature),
      vars,
    );
    const byParam = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) byParam.set(this.gradNames.get(varName)!, g);
    const loss = value.dataSync()[0];
    value.dispose();
    return { loss, grads: byParam };
  }

  /** SGD on the query encoder with `grads`, the key encoder's momentum update, `keys` into the queue. */
  applyGradients(grads: Map<string, tf.Tensor>, keys: tf.Tensor2D, lr: number): void {
    this.optimizer.step(grads, lr);
    momentumUpdate(this.key.params, this.query.params, this.query.parameterNames(), this.hyper.keyMomentum);
    this.queue.enqueue(keys);
  }

  dispose(): void {
    this.query.dispose();
    this.key.dispose();
    this.queue.dispose();
    this.optimizer.dispose();
  }
}

/**
 * Runs every view through its input block (if the encoder has blocks), then all of them through
 * one backbone pass, so BatchNorm statistics cover the whole batch as in the reference.
 */
export function forwardViews(encoder: Encoder, views: View[], mode: BatchNormMode): tf.Tensor2D {
  const hasBlocks = (encoder.config.inputBlocks ?? []).length > 0;
  const inputs = views.map((v) => {
    if (!hasBlocks) return v.x;
    if (v.input === 'fusion') throw new Error('this encoder has per-sensor input blocks; a fusion view cannot use them');
    return encoder.forwardInput(v.x, v.input, mode);
  });
  const x = inputs.length === 1 ? inputs[0] : (tf.concat(inputs, 0) as tf.Tensor4D);
  return encoder.forwardBackbone(x, mode);
}

function normalizeRows(v: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < v.length; r += dim) {
    let s = 0;
    for (let i = r; i < r + dim; i++) s += v[i] * v[i];
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let i = r; i < r + dim; i++) v[i] *= inv;
  }
  return v;
}
