import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { CARD_FILE } from '../formats/export-files.js';
import { selectCheckpoint, type SelectedCheckpoint } from '../runs/checkpoint-select.js';
import { type CheckpointSelector, DEFAULT_CHECKPOINT, type RunKind } from '../common/runs/checkpoint-ref.js';
import { openRun, RUN_FILES } from '../runs/run-dir.js';

/** The two kinds of folder that hold trained weights. */
export type ModelDirKind = 'run' | 'export';

export async function modelDirKind(dir: string): Promise<ModelDirKind> {
  const isFile = async (name: string) => (await stat(join(dir, name)).catch(() => null))?.isFile() ?? false;
  if (await isFile(RUN_FILES.config)) return 'run';
  if (await isFile(CARD_FILE)) return 'export';
  throw new DatasetFileError(dir, `neither a run directory (no ${RUN_FILES.config}) nor an exported model (no ${CARD_FILE})`);
}

/** An exported model holds one set of weights: a checkpoint selector applies to run directories only. */
export function refuseSelectorOnExport(dir: string, selector: CheckpointSelector | undefined): void {
  if (selector !== undefined) throw new DatasetFileError(dir, `an exported model holds one checkpoint; "${selector}" applies to run directories only`);
}

/**
 * The checkpoint of a `kind` run that `selector` names, by default the one that kind's consumers
 * use (DEFAULT_CHECKPOINT: a pretrain's last, a finetune's best). Refuses a run of another kind.
 */
export async function runCheckpoint(runDir: string, kind: RunKind, selector?: CheckpointSelector): Promise<SelectedCheckpoint> {
  const run = await openRun(runDir);
  if (run.config.kind !== kind) throw new DatasetFileError(runDir, `a ${run.config.kind} run, not a ${kind} run`);
  return selectCheckpoint(runDir, selector ?? DEFAULT_CHECKPOINT[kind]);
}
