import type { Variable } from '@tensorflow/tfjs-core';
import { DatasetFileError } from '../common/util/file-error.js';
import type { HostTensor } from '../formats/host-tensor.js';
import type { Encoder } from '../models/encoder.js';
import { inputBlockSpecs } from '../models/input-block.js';
import { resnetParamSpecs } from '../models/resnet.js';
import { restoreParams } from './restore-params.js';
import type { CheckpointRef, CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { inputSensors } from '../models/classifier.js';
import type { ClassifierSpec, FinetuneVariant } from '../common/training/finetune-config.js';
import { readExportedModel } from './exported-weights.js';
import { modelDirKind, refuseSelectorOnExport, runCheckpoint } from './model-dir.js';

/** Pretrained tensors in this app's layout, keyed by parameter name, and the file they came from. */
export interface PretrainedWeights {
  source: string;
  tensors: Map<string, HostTensor>;
  /** The pretrain checkpoint the tensors come from (for an exported model, the one its card names). */
  checkpoint: CheckpointRef;
}

/**
 * A pretrain run directory (the checkpoint `selector` names, by default its last; the model
 * tensors are MoCo's query encoder) or an exported model directory (model.safetensors, PyTorch
 * layout), which holds one set of weights and so takes no selector.
 */
export async function readPretrainedWeights(dir: string, selector?: CheckpointSelector): Promise<PretrainedWeights> {
  if ((await modelDirKind(dir)) === 'export') {
    refuseSelectorOnExport(dir, selector);
    const model = await readExportedModel(dir);
    return { source: `${dir}/${model.card.weights.file}`, tensors: model.tensors, checkpoint: model.card.checkpoint };
  }
  const { checkpoint, ref } = await runCheckpoint(dir, 'pretrain', selector);
  return { source: checkpoint.path, tensors: checkpoint.model, checkpoint: ref };
}

/**
 * Loads the backbone (every torchvision ResNet entry but conv1 when its input channels differ,
 * e.g. a pretrain through 3-channel blocks finetuned on 12 fusion channels: conv1 then keeps its
 * fresh initialisation and `log` says so) and, for moco-1x1, the input blocks. moco-1x1-rnd keeps
 * freshly initialised blocks. Projection heads and the fc are never taken. Throws naming the
 * source when an entry is missing or shaped for another network.
 */
export function initFromPretrained(
  encoder: Encoder,
  spec: ClassifierSpec,
  variant: FinetuneVariant,
  weights: PretrainedWeights,
  log: (line: string) => void,
): void {
  const backboneChannels = spec.inputBlocks ? 3 : 12;
  const names = resnetParamSpecs({ depth: spec.depth, inChannels: backboneChannels }).map((s) => s.name);
  if (variant === 'moco-1x1') names.push(...inputSensors(spec.input).flatMap(inputBlockSpecs).map((s) => s.name));

  const conv1 = weights.tensors.get('conv1.weight');
  const conv1In = conv1?.shape.length === 4 ? conv1.shape[2] : undefined;
  const targets = new Map<string, Variable>();
  const values = new Map<string, HostTensor>();
  for (const name of names) {
    const value = weights.tensors.get(name);
    if (!value) {
      throw new DatasetFileError(weights.source, `no ${name} in the pretrained weights (is it a ResNet-${spec.depth}${name.startsWith('input.') ? ' pretrained with 1x1 input blocks' : ''}?)`);
    }
    if (name === 'conv1.weight' && conv1In !== backboneChannels) {
      log(`conv1 re-initialised: the pretrained conv1 takes ${conv1In} channels, this model feeds it ${backboneChannels}`);
      continue;
    }
    targets.set(name, encoder.params.get(name)!);
    values.set(name, value);
  }
  restoreParams(targets, values, weights.source);
}
