/**
 * A run's checkpoints for the UI, which shows and lets the user choose the checkpoint a finetune,
 * an evaluation or an export takes. The list is read from the run's checkpoint index without
 * verifying the files: the job that loads one verifies it (core/runs/checkpoint-select.ts).
 */
import { readCheckpoints } from '../runs/checkpoint.js';
import type { CheckpointEntry } from '../runs/checkpoint-index.js';
import { selectorCandidates } from '../runs/checkpoint-select.js';
import { BEST_RULE, DEFAULT_CHECKPOINT, type CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { openRun } from '../runs/run-dir.js';
import { DatasetFileError } from '../common/util/file-error.js';
import type { CheckpointChoice, RunCheckpoint, RunCheckpoints } from '../common/api/contract.js';
import { ServiceError } from '../common/api/service-error.js';

/** `dir` is an absolute run directory (JobManager.resolveDirectory). */
export async function runCheckpoints(dir: string): Promise<RunCheckpoints> {
  let kind: RunCheckpoints['kind'];
  let entries: CheckpointEntry[];
  try {
    kind = (await openRun(dir)).config.kind;
    // Listing is read-only: notes about damaged files go to the job that loads one, not to the run's log.
    entries = await readCheckpoints(dir, () => {});
  } catch (err) {
    if (err instanceof DatasetFileError) throw new ServiceError('not-found', `params.run: ${err.message}`);
    throw err;
  }
  const checkpoints: RunCheckpoint[] = entries
    .map(({ file, kind, step, epoch, createdAt }) => ({ file, kind, step, epoch, createdAt }))
    .sort((a, b) => a.step - b.step || a.createdAt.localeCompare(b.createdAt));
  return { run: dir, kind, default: DEFAULT_CHECKPOINT[kind], bestRule: BEST_RULE[kind], checkpoints, selectors: selectorChoices(entries) };
}

/** What each selector names in the listed entries, as selectCheckpoint tries them first (unverified here). */
function selectorChoices(entries: readonly CheckpointEntry[]): CheckpointChoice[] {
  const steps = [...new Set(entries.filter((e) => e.kind !== 'best').map((e) => e.step))].sort((a, b) => a - b);
  const selectors: CheckpointSelector[] = ['last', 'best', ...steps.map((step) => `step-${step}` as const)];
  return selectors.flatMap((selector) => {
    const e = selectorCandidates(entries, selector)[0];
    return e ? [{ selector, file: e.file, step: e.step, epoch: e.epoch }] : [];
  });
}
