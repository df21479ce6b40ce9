import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { CARD_FILE, WEIGHT_PARTS } from '../formats/export-files.js';
import { fromSafetensor, type HostTensor } from '../formats/host-tensor.js';
import { readModelCard, type ModelCard } from '../formats/model-card.js';
import { decodeSafetensors } from '../formats/safetensors.js';
import { fromTorchLayout } from '../formats/torch-layout.js';
import { sha256 } from '../util/atomic-write.js';

/** An exported model directory read back: its card and its tensors in this app's (tfjs) layout. */
export interface ExportedModel {
  dir: string;
  card: ModelCard;
  tensors: Map<string, HostTensor>;
}

/**
 * Reads model-card.json and every weights file it names (model.safetensors and the input block
 * and head files), checks each file's SHA-256 against the card and that a part file holds only
 * its part's tensors, drops torchvision's num_batches_tracked counters and transposes back from
 * PyTorch's layout.
 */
export async function readExportedModel(dir: string): Promise<ExportedModel> {
  const card = await readModelCard(join(dir, CARD_FILE));
  const tensors = new Map<string, HostTensor>();
  const files = [{ file: card.weights.file, sha256: card.weights.sha256, prefix: null }, ...card.weights.parts.map((p) => ({ ...p, prefix: prefixOf(p.role) }))];
  for (const { file, sha256: expected, prefix } of files) {
    const path = join(dir, file);
    const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new DatasetFileError(path, `cannot read the model weights: ${err.code ?? err.message}`);
    });
    const digest = sha256(bytes);
    if (digest !== expected) throw new DatasetFileError(path, `SHA-256 ${digest} differs from ${expected} in ${CARD_FILE}`);
    for (const t of decodeSafetensors(bytes, path).tensors) {
      if (prefix !== null && !t.name.startsWith(prefix)) throw new DatasetFileError(path, `tensor ${t.name} does not belong in this file (only ${prefix}*)`);
      if (tensors.has(t.name)) throw new DatasetFileError(path, `tensor ${t.name} is also in another file of the model`);
      if (t.name.endsWith('.num_batches_tracked')) continue;
      tensors.set(t.name, fromTorchLayout(t.name, fromSafetensor(t, path)));
    }
  }
  return { dir, card, tensors };
}

function prefixOf(role: string): string {
  return WEIGHT_PARTS.find((p) => p.role === role)!.prefix;
}
