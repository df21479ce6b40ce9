import type { FreezeMode } from '../common/training/model-options.js';
import { EVAL, TRAIN } from '../models/batch-norm.js';
import type { Encoder } from '../models/encoder.js';
import { isBuffer } from '../models/params.js';
import { RESNET_STAGES, resnetStageOf, type BackboneMode, type ResNetStage } from '../models/resnet.js';

/** Whether a parameter (weight or bias; buffers are never trained) is frozen under `mode`. */
export function isFrozen(name: string, mode: FreezeMode): boolean {
  if (mode === 'none') return false;
  if (mode === 'linear') return !name.startsWith('fc.');
  if (name.startsWith('input.')) return true;
  const stage = resnetStageOf(name);
  return stage !== null && isStageFrozen(stage, mode);
}

/** Whether a backbone stage is left untrained under `mode`: stage-K freezes the stem and layer1..K. */
function isStageFrozen(stage: ResNetStage, mode: FreezeMode): boolean {
  const frozen = mode === 'none' ? 0 : mode === 'linear' ? RESNET_STAGES.length : Number(mode.slice('stage-'.length)) + 1;
  return RESNET_STAGES.indexOf(stage) < frozen;
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

/**
 * The modules (`input.s2`, `conv1`, `layer1`, ...) whose every weight is frozen in `encoder`, as a
 * run records them: what its freeze mode and frozen input blocks leave untrained.
 */
export function frozenModules(encoder: Encoder): string[] {
  const modules = new Map<string, boolean>();
  for (const [name, v] of encoder.params) {
    if (isBuffer(name)) continue;
    const parts = name.split('.');
    const module = parts[0] === 'input' ? parts.slice(0, 2).join('.') : parts[0];
    modules.set(module, (modules.get(module) ?? true) && !v.trainable);
  }
  return [...modules].filter(([, frozen]) => frozen).map(([module]) => module);
}

/** The backbone's BatchNorm modes during a training step: eval for frozen stages, train for the rest. */
export function trainingMode(mode: FreezeMode): BackboneMode {
  return (stage) => (isStageFrozen(stage, mode) ? EVAL : TRAIN);
}
