import * as tf from '@tensorflow/tfjs-core';
import { EVAL } from '../models/batch-norm.js';
import type { Encoder } from '../models/encoder.js';
import type { PatchItem } from '../sampler/patch-items.js';
import type { TensorSource } from '../sampler/tensor-source.js';
import { classifierBatch, classifierLogits, disposeBatch } from '../models/classifier.js';
import { type ClassifierSpec, type LabelScheme, MULTI_LABEL_THRESHOLD } from '../common/training/finetune-config.js';

export interface ScoredBatch {
  items: PatchItem[];
  /** items.length x classes, row-major: sigmoid (multi) or softmax (single) probabilities. */
  scores: Float32Array;
}

/** Class probabilities: independent sigmoids (multi-label) or one softmax (single-label). */
export function classProbabilities(logits: tf.Tensor2D, scheme: LabelScheme): tf.Tensor2D {
  return scheme === 'multi' ? tf.sigmoid(logits) : tf.softmax(logits);
}

/** Class probabilities for `items` in order, one batch at a time (BatchNorm in eval mode). */
export async function* scoreBatches(
  encoder: Encoder,
  spec: ClassifierSpec,
  source: TensorSource,
  items: readonly PatchItem[],
  batchSize: number,
): AsyncGenerator<ScoredBatch> {
  const slice = (start: number) => items.slice(start, start + batchSize);
  // The next batch decodes in the pool's worker threads while this one runs.
  let pending = items.length > 0 ? source.load(slice(0)) : null;
  for (let start = 0; start < items.length; start += batchSize) {
    const arrays = await pending!;
    pending = start + batchSize < items.length ? source.load(slice(start + batchSize)) : null;
    const batch = classifierBatch(arrays, spec.input);
    const probs = tf.tidy(() => classProbabilities(classifierLogits(encoder, spec, batch, EVAL), spec.scheme));
    disposeBatch(batch);
    const scores = (await probs.data()) as Float32Array;
    probs.dispose();
    yield { items: slice(start), scores };
  }
}

/** 0-based classes whose probability reaches the 0.5 threshold (multi), or the arg-max (single). */
export function predictedClasses(row: ArrayLike<number>, scheme: ClassifierSpec['scheme']): number[] {
  if (scheme === 'multi') return Array.from(row, (p, k) => (p >= MULTI_LABEL_THRESHOLD ? k : -1)).filter((k) => k >= 0);
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return [best];
}
