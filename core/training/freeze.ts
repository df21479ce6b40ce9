import { EVAL, TRAIN, type BatchNormMode } from '../models/batch-norm.js';
import type { Encoder } from '../models/encoder.js';
import { isBuffer } from '../models/params.js';

/**
 * What finetuning leaves untrained. linear: everything but `fc` (a linear probe; the backbone's
 * BatchNorms run in eval mode). stage-K: the input blocks, the stem (conv1, bn1) and layer1..K;
 * their weights stay as loaded, while their BatchNorms keep PyTorch's train-mode behaviour for
 * parameters with requires_grad=False (batch statistics, running statistics updated), because the
 * backbone runs under one BatchNorm mode.
 */
export const FREEZE_MODES = ['none', 'linear', 'stage-1', 'stage-2', 'stage-3', 'stage-4'] as const;
export type FreezeMode = (typeof FREEZE_MODES)[number];

/** Whether a parameter (weight or bias; buffers are never trained) is frozen under `mode`. */
export function isFrozen(name: string, mode: FreezeMode): boolean {
  if (mode === 'none') return false;
  if (mode === 'linear') return !name.startsWith('fc.');
  const stages = Number(mode.slice('stage-'.length));
  if (name.startsWith('input.') || name.startsWith('conv1.') || name.startsWith('bn1.')) return true;
  const layer = /^layer(\d)\./.exec(name);
  return layer !== null && Number(layer[1]) <= stages;
}

/**
 * Marks the frozen parameters non-trainable, so tf.variableGrads and the optimizer skip them.
 * The encoder should be built with freezeInputBlocks when mode is not 'none' (its blocks then
 * also run their BatchNorm in eval mode).
 */
export function applyFreeze(encoder: Encoder, mode: FreezeMode): void {
  for (const [name, v] of encoder.params) {
    if (!isBuffer(name) && isFrozen(name, mode)) v.trainable = false;
  }
}

/** The BatchNorm mode of the backbone during a training step. */
export function trainingMode(mode: FreezeMode): BatchNormMode {
  return mode === 'linear' ? EVAL : TRAIN;
}
