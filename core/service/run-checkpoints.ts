/**
 * A run's checkpoints for the UI, which shows and lets the user choose the checkpoint a finetune,
 * an evaluation or an export takes. The list is read from the run's checkpoint index without
 * verifying the files: the job that loads one verifies it (core/runs/checkpoint-select.ts).
 */
import { readCheckpoints } from '../runs/checkpoint.js';
import type { CheckpointEntry } from '../runs/checkpoint-index.js';
import { BEST_RULE, DEFAULT_CHECKPOINT } from '../runs/checkpoint-select.js';
import { openRun } from '../runs/run-dir.js';
import { DatasetFileError } from '../util/file-error.js';
import type { CheckpointChoice, RunCheckpoint, RunCheckpoints } from './contract.js';
import { ServiceError } from './service-error.js';

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

/**
 * What each selector names in the listed entries, as selectCheckpoint picks it: `last` the newest
 * step that is not the `best` copy, `best` the best file, `step-N` the first entry at step N.
 * (selectCheckpoint also skips a damaged newest file for `last`; unverified here.)
 */
function selectorChoices(entries: readonly CheckpointEntry[]): CheckpointChoice[] {
  const choice = (selector: CheckpointChoice['selector'], e: CheckpointEntry): CheckpointChoice => ({ selector, file: e.file, step: e.step, epoch: e.epoch });
  const periodic = entries.filter((e) => e.kind !== 'best');
  const newest = [...periodic].sort((a, b) => b.step - a.step || (a.createdAt < b.createdAt ? 1 : -1))[0];
  const best = entries.find((e) => e.kind === 'best');
  const steps = [...new Set(periodic.map((e) => e.step))].sort((a, b) => a - b);
  return [
    ...(newest ? [choice('last', newest)] : []),
    ...(best ? [choice('best', best)] : []),
    ...steps.map((step) => choice(`step-${step}`, periodic.find((e) => e.step === step)!)),
  ];
}
