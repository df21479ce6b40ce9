import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParamStore } from '../models/params.js';
import { sha256, writeFileAtomic } from '../util/atomic-write.js';
import { describeModel } from '../formats/describe-model.js';
import { CARD_FILE, CARD_METADATA_KEY, MODEL_FILE, WEIGHT_PARTS } from '../formats/export-files.js';
import { readTensors, toSafetensor } from '../formats/host-tensor.js';
import { validateModelCard, type ModelCard, type ModelCardInput } from '../formats/model-card.js';
import { encodeSafetensors, type SafetensorsTensor } from '../formats/safetensors.js';
import { toTorchLayout } from '../formats/torch-layout.js';

/**
 * Writes `model.safetensors`: the torchvision ResNet entries (and `fc`) under their own names in
 * PyTorch's layout, so that `model.load_state_dict(safetensors.torch.load_file(...), strict=True)`
 * works on torchvision's ResNet with conv1 widened to the card's channels, with the card (less
 * its `weights`) in the file's metadata, so the file alone says what it takes and gives. The
 * input block and projection head go to files of their own (WEIGHT_PARTS), then
 * `model-card.json` with every file's checksum. The card is checked against the weights before
 * anything is written.
 */
export async function exportSafetensors(params: ParamStore, outDir: string, input: ModelCardInput): Promise<ModelCard> {
  const body = describeModel(params, input);
  const byFile = new Map<string, SafetensorsTensor[]>();
  for (const [name, host] of await readTensors(params)) {
    const file = WEIGHT_PARTS.find((p) => name.startsWith(p.prefix))?.file ?? MODEL_FILE;
    let tensors = byFile.get(file);
    if (!tensors) byFile.set(file, (tensors = []));
    tensors.push(toSafetensor(name, toTorchLayout(name, host)));
    // torchvision's BatchNorm has this buffer; writing it makes the state dict complete for
    // strict loading. Its value only matters when momentum is None, which ResNets do not use.
    if (name.endsWith('.running_mean')) {
      tensors.push({ name: name.slice(0, -'running_mean'.length) + 'num_batches_tracked', dtype: 'I64', shape: [], data: new Uint8Array(8) });
    }
  }
  // "format": "pt" is what Hugging Face's loaders look for to know the tensors are PyTorch's.
  const model = encodeSafetensors(byFile.get(MODEL_FILE) ?? [], { format: 'pt', [CARD_METADATA_KEY]: JSON.stringify(body) });
  const parts = WEIGHT_PARTS.filter((p) => byFile.has(p.file)).map((p) => ({ ...p, bytes: encodeSafetensors(byFile.get(p.file)!, { format: 'pt' }) }));
  const card = validateModelCard(
    {
      ...body,
      weights: {
        file: MODEL_FILE,
        format: 'safetensors',
        layout: 'pytorch',
        bytes: model.byteLength,
        sha256: sha256(model),
        parts: parts.map((p) => ({ role: p.role, file: p.file, bytes: p.bytes.byteLength, sha256: sha256(p.bytes) })),
      },
    },
    'model card',
  );

  await mkdir(outDir, { recursive: true });
  for (const p of parts) await writeFileAtomic(join(outDir, p.file), p.bytes);
  await writeFileAtomic(join(outDir, MODEL_FILE), model);
  await writeFileAtomic(join(outDir, CARD_FILE), JSON.stringify(card, null, 2) + '\n');
  return card;
}

/** The files exportSafetensors wrote for `card`. */
export function safetensorsFiles(card: ModelCard): string[] {
  return [card.weights.file, ...card.weights.parts.map((p) => p.file), CARD_FILE];
}
