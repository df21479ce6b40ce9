import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../util/file-error.js';
import { CARD_FILE } from '../export/export-safetensors.js';
import { fromSafetensor, type HostTensor } from '../export/host-tensor.js';
import { readModelCard, type ModelCard } from '../export/model-card.js';
import { decodeSafetensors } from '../export/safetensors.js';
import { fromTorchLayout } from '../export/torch-layout.js';
import { sha256 } from '../util/atomic-write.js';

/** An exported model directory read back: its card and its tensors in this app's (tfjs) layout. */
export interface ExportedModel {
  dir: string;
  card: ModelCard;
  tensors: Map<string, HostTensor>;
}

/**
 * Reads model-card.json and the weights it names, checks the weights' SHA-256 against the card,
 * drops torchvision's num_batches_tracked counters and transposes back from PyTorch's layout.
 */
export async function readExportedModel(dir: string): Promise<ExportedModel> {
  const card = await readModelCard(join(dir, CARD_FILE));
  const path = join(dir, card.weights.file);
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new DatasetFileError(path, `cannot read the model weights: ${err.code ?? err.message}`);
  });
  const digest = sha256(bytes);
  if (digest !== card.weights.sha256) {
    throw new DatasetFileError(path, `SHA-256 ${digest} differs from ${card.weights.sha256} in ${CARD_FILE}`);
  }
  const tensors = new Map<string, HostTensor>();
  for (const t of decodeSafetensors(bytes, path).tensors) {
    if (t.name.endsWith('.num_batches_tracked')) continue;
    tensors.set(t.name, fromTorchLayout(t.name, fromSafetensor(t, path)));
  }
  return { dir, card, tensors };
}
