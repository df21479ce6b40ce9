import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../util/file-error.js';
import { CARD_FILE } from '../export/export-safetensors.js';
import { loadCheckpoint, latestCheckpoint, type LoadedCheckpoint } from '../runs/checkpoint.js';
import { readCheckpointIndex } from '../runs/checkpoint-index.js';
import { RUN_FILES } from '../runs/run-dir.js';

/** The two kinds of folder that hold trained weights. */
export type ModelDirKind = 'run' | 'export';

export async function modelDirKind(dir: string): Promise<ModelDirKind> {
  const isFile = async (name: string) => (await stat(join(dir, name)).catch(() => null))?.isFile() ?? false;
  if (await isFile(RUN_FILES.config)) return 'run';
  if (await isFile(CARD_FILE)) return 'export';
  throw new DatasetFileError(dir, `neither a run directory (no ${RUN_FILES.config}) nor an exported model (no ${CARD_FILE})`);
}

/**
 * A run's `best` checkpoint (the best validation score of a finetune, the lowest epoch loss of
 * a pretrain), else its newest one that verifies.
 */
export async function bestOrLatestCheckpoint(runDir: string): Promise<LoadedCheckpoint> {
  const dir = join(runDir, RUN_FILES.checkpoints);
  const best = (await readCheckpointIndex(dir)).find((e) => e.kind === 'best');
  if (best) return loadCheckpoint(join(dir, best.file), best.sha256);
  const latest = await latestCheckpoint(runDir);
  if (!latest) throw new DatasetFileError(runDir, 'the run has no usable checkpoint yet');
  return latest;
}
