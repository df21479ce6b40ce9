import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParamStore } from '../models/params.js';
import { sha256, writeFileAtomic } from '../util/atomic-write.js';
import { readTensors, toSafetensor } from './host-tensor.js';
import { validateModelCard, type ModelCard, type ModelCardInput } from './model-card.js';
import { describeResNet } from './resnet-structure.js';
import { encodeSafetensors, type SafetensorsTensor } from './safetensors.js';
import { toTorchLayout } from './torch-layout.js';

export const MODEL_FILE = 'model.safetensors';
export const CARD_FILE = 'model-card.json';

/**
 * Writes `model.safetensors` (every entry under its torchvision name, in PyTorch's layout, so
 * `model.load_state_dict(safetensors.torch.load_file(...))` works) and `model-card.json`. The card
 * is checked against the weights (architecture, input channels, classes) before anything is written.
 */
export async function exportSafetensors(params: ParamStore, outDir: string, card: ModelCardInput): Promise<ModelCard> {
  const tensors: SafetensorsTensor[] = [];
  for (const [name, host] of await readTensors(params)) {
    tensors.push(toSafetensor(name, toTorchLayout(name, host)));
    // torchvision's BatchNorm has this buffer; writing it makes the state dict complete for
    // strict loading. Its value only matters when momentum is None, which ResNets do not use.
    if (name.endsWith('.running_mean')) {
      const counter = name.slice(0, -'running_mean'.length) + 'num_batches_tracked';
      tensors.push({ name: counter, dtype: 'I64', shape: [], data: new Uint8Array(8) });
    }
  }
  // "format": "pt" is what Hugging Face's loaders look for to know the tensors are PyTorch's.
  const bytes = encodeSafetensors(tensors, { format: 'pt' });
  const full = validateModelCard(
    {
      format: 'sen12ms-studio.model-card',
      version: 1,
      createdAt: new Date().toISOString(),
      ...card,
      weights: { file: MODEL_FILE, format: 'safetensors', layout: 'pytorch', bytes: bytes.byteLength, sha256: sha256(bytes) },
    },
    'model card',
  );
  const structure = describeResNet(params, full.inputBlock);
  const mismatches = [
    full.architecture !== `resnet${structure.depth}` && `architecture is ${full.architecture}, the weights are resnet${structure.depth}`,
    full.inputChannels !== structure.inputChannels &&
      `inputChannels is ${full.inputChannels}, the weights take ${structure.inputChannels}`,
    full.task !== 'features' && structure.fcOutputs !== full.classes.length &&
      `${full.classes.length} classes, the weights have ${structure.fcOutputs === null ? 'no fc' : `${structure.fcOutputs} outputs`}`,
  ].filter((m): m is string => typeof m === 'string');
  if (mismatches.length > 0) throw new Error(`model card does not fit the weights: ${mismatches.join('; ')}`);

  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(join(outDir, MODEL_FILE), bytes);
  await writeFileAtomic(join(outDir, CARD_FILE), JSON.stringify(full, null, 2) + '\n');
  return full;
}
