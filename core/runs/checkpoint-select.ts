import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { loadCheckpoint, readCheckpoints, type LoadedCheckpoint } from './checkpoint.js';
import type { CheckpointEntry } from './checkpoint-index.js';
import { RUN_FILES } from './run-dir.js';
import type { CheckpointRef, CheckpointSelector } from '../common/runs/checkpoint-ref.js';

export interface SelectedCheckpoint {
  ref: CheckpointRef;
  checkpoint: LoadedCheckpoint;
}

/**
 * The listed checkpoints `selector` may name, in the order they are tried: for `last` every step
 * that is not the `best` copy (a copy of an epoch-end checkpoint: the periodic file is named),
 * newest first; for `best` the best file; for `step-N` the checkpoint of step N.
 */
export function selectorCandidates(entries: readonly CheckpointEntry[], selector: CheckpointSelector): CheckpointEntry[] {
  if (selector === 'best') return entries.filter((e) => e.kind === 'best');
  const periodic = entries.filter((e) => e.kind !== 'best');
  if (selector === 'last') return periodic.sort((a, b) => b.step - a.step || (a.createdAt < b.createdAt ? 1 : -1));
  const step = Number(selector.slice('step-'.length));
  return periodic.filter((e) => e.step === step);
}

/**
 * Loads the checkpoint `selector` names, verified against its checksums. `last` is the newest
 * step that verifies (a damaged newer file is skipped and logged, as a resume would); `best` and
 * `step-N` name one checkpoint exactly and fail, listing what the run has, when it is missing or
 * damaged: a consumer never silently takes another checkpoint than the one asked for.
 */
export async function selectCheckpoint(runDir: string, selector: CheckpointSelector): Promise<SelectedCheckpoint> {
  const dir = join(runDir, RUN_FILES.checkpoints);
  const entries = await readCheckpoints(runDir);
  const candidates = selectorCandidates(entries, selector);
  const kind: CheckpointRef['kind'] = selector === 'last' || selector === 'best' ? selector : 'step';
  const load = async (entry: CheckpointEntry): Promise<SelectedCheckpoint> => {
    const checkpoint = await loadCheckpoint(join(dir, entry.file), entry.sha256);
    return { checkpoint, ref: { run: runDir, file: entry.file, step: checkpoint.state.step, epoch: checkpoint.state.epoch, kind } };
  };
  if (selector === 'last') {
    for (const entry of candidates) {
      try {
        return await load(entry);
      } catch (err) {
        if (!(err instanceof DatasetFileError)) throw err;
      }
    }
  } else if (candidates.length > 0) {
    return load(candidates[0]);
  }
  const reason =
    selector === 'best'
      ? 'no best checkpoint (a pretrain keeps one only with its k-NN monitor; a finetune after its first epoch)'
      : selector === 'last'
        ? 'no usable checkpoint yet'
        : `no checkpoint at step ${selector.slice('step-'.length)} (a run keeps last, best and its config's keepCheckpoints older periodic ones)`;
  throw new DatasetFileError(runDir, `${reason}; the run has ${available(entries)}`);
}

/**
 * Loads the exact checkpoint a config recorded (re-running a finetune from its own config.json),
 * refusing a file that has since been replaced by another step's.
 */
export async function loadCheckpointRef(ref: CheckpointRef): Promise<LoadedCheckpoint> {
  const entry = (await readCheckpoints(ref.run)).find((e) => e.file === ref.file);
  if (!entry) throw new DatasetFileError(ref.run, `the recorded checkpoint ${ref.file} (step ${ref.step}) is no longer in the run`);
  const checkpoint = await loadCheckpoint(join(ref.run, RUN_FILES.checkpoints, ref.file), entry.sha256);
  if (checkpoint.state.step !== ref.step) {
    throw new DatasetFileError(checkpoint.path, `holds step ${checkpoint.state.step} now, not the recorded step ${ref.step}`);
  }
  return checkpoint;
}

function available(entries: readonly CheckpointEntry[]): string {
  if (entries.length === 0) return 'no checkpoints';
  const steps = [...new Set(entries.filter((e) => e.kind !== 'best').map((e) => e.step))].sort((a, b) => a - b);
  const best = entries.find((e) => e.kind === 'best');
  return `${steps.map((s) => `step-${s}`).join(', ') || 'no periodic checkpoints'}${best ? `, best (step ${best.step})` : ''}`;
}
