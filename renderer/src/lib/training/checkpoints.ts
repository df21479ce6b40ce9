/**
 * Which checkpoint a click uses, in words: the choices a run offers (from `runs.checkpoints`,
 * whose default and best rule come from core) and the checkpoint a finished job recorded
 * (a finetune's pretrained checkpoint, an evaluation's, an export card's). Plain functions over
 * plain data, so the panels stay thin and the wording is tested without a DOM.
 */
import type { JobInfo } from '#common/jobs/job-spec.js';
import type { CheckpointChoice, CheckpointRef, CheckpointSelector, RunCheckpoints } from '#common/api/contract.js';

/** The best score a training job reported (TrainOutcome.best). */
export interface TrainBest {
  metric: string;
  value: number;
  step: number;
}

const METRIC_TITLES: Record<string, string> = { knn_top1: 'k-NN top-1', f1_micro: 'micro-F1' };

export function metricTitle(metric: string): string {
  return METRIC_TITLES[metric] ?? metric;
}

/** `best` of a completed pretrain or finetune job's outcome, when its monitor kept one. */
export function trainBest(job: JobInfo | null | undefined): TrainBest | null {
  const best = (job?.result as { best?: unknown } | null | undefined)?.best as Partial<TrainBest> | undefined;
  if (!best || typeof best.metric !== 'string' || typeof best.value !== 'number' || typeof best.step !== 'number') return null;
  return { metric: best.metric, value: best.value, step: best.step };
}

/** One option of a checkpoint choice: "last (step 9) — default", "best (step 6, k-NN top-1 0.4167)", "step-3 (epoch 1)". */
export function choiceLabel(choice: CheckpointChoice, list: Pick<RunCheckpoints, 'default'>, best: TrainBest | null): string {
  let text: string;
  if (choice.selector === 'last') text = `last (step ${choice.step})`;
  else if (choice.selector === 'best') {
    const score = best && best.step === choice.step ? `, ${metricTitle(best.metric)} ${best.value.toFixed(4)}` : '';
    text = `best (step ${choice.step}${score})`;
  } else text = `${choice.selector} (epoch ${choice.epoch})`;
  return choice.selector === list.default ? `${text} — default` : text;
}

/**
 * The selector to show for a run: the one already chosen when the run offers it, else the run's
 * default, else (a run stopped before its first validation keeps no best) its first choice. The
 * choice is on screen, and CheckpointSelect says when the default is missing.
 */
export function keptSelector(current: CheckpointSelector | '', list: RunCheckpoints): CheckpointSelector | '' {
  const offered = (s: CheckpointSelector | '') => s !== '' && list.selectors.some((c) => c.selector === s);
  if (offered(current)) return current;
  if (offered(list.default)) return list.default;
  return list.selectors[0]?.selector ?? '';
}

/** Whether the run offers its kind's default checkpoint. */
export function offersDefault(list: RunCheckpoints): boolean {
  return list.selectors.some((c) => c.selector === list.default);
}

/** A CheckpointRef read from a job's result, or null when the result holds none. */
export function checkpointRef(value: unknown): CheckpointRef | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<CheckpointRef>;
  const ok = typeof r.run === 'string' && typeof r.file === 'string' && typeof r.step === 'number' && typeof r.epoch === 'number' && typeof r.kind === 'string';
  return ok ? (r as CheckpointRef) : null;
}

/** The selector that chose a recorded checkpoint: last, best or step-N. */
export function refSelector(ref: CheckpointRef): CheckpointSelector {
  return ref.kind === 'step' ? `step-${ref.step}` : ref.kind;
}

/** "best checkpoint (step 6, epoch 2)", "step-3 checkpoint (epoch 1)"; epoch counts the epochs completed. */
export function describeRef(ref: CheckpointRef): string {
  return ref.kind === 'step' ? `step-${ref.step} checkpoint (epoch ${ref.epoch})` : `${ref.kind} checkpoint (step ${ref.step}, epoch ${ref.epoch})`;
}

/** The checkpoint a job asked for in its options, or null when it left the choice to the default. */
function asked(job: JobInfo): CheckpointSelector | null {
  return (job.spec.options as { checkpoint?: CheckpointSelector }).checkpoint ?? null;
}

/** A finetune's start in a few words for run pickers: "from best (step 8)", "from step-4"; null when supervised. */
export function startLabel(job: JobInfo): string | null {
  if (job.kind !== 'finetune' || (job.spec.options as { pretrained?: string }).pretrained === undefined) return null;
  const ref = checkpointRef((job.result as { pretrainedCheckpoint?: unknown } | null)?.pretrainedCheckpoint);
  if (ref) return ref.kind === 'step' ? `from step-${ref.step}` : `from ${ref.kind} (step ${ref.step})`;
  const selector = asked(job);
  return selector ? `from ${selector}` : null;
}

/**
 * The line a job row shows about checkpoints: what a finetune started from, what an evaluation or
 * export used (as recorded once finished, as asked before), a pretrain's best score. Null when
 * there is nothing to say (a supervised finetune, a job of another kind).
 */
export function jobCheckpointNote(job: JobInfo, pretrainDefault: CheckpointSelector | null): string | null {
  const result = job.result as { pretrainedCheckpoint?: unknown; checkpoint?: unknown; card?: { checkpoint?: unknown } } | null;
  const used = (ref: CheckpointRef | null, prefix: string) => {
    if (ref) return `${prefix}${describeRef(ref)}`;
    const selector = asked(job);
    return `${prefix}${selector ? `${selector} checkpoint` : 'the default checkpoint'}${job.state === 'completed' ? '' : ' (asked)'}`;
  };
  switch (job.kind) {
    case 'finetune':
      if ((job.spec.options as { pretrained?: string }).pretrained === undefined) return null;
      return used(checkpointRef(result?.pretrainedCheckpoint), 'from pretrain: ');
    case 'evaluate':
      return used(checkpointRef(result?.checkpoint), 'evaluated: ');
    case 'export':
      return used(checkpointRef(result?.card?.checkpoint), 'exported: ');
    case 'pretrain': {
      if (job.state !== 'completed') return null;
      const best = trainBest(job);
      const score = best ? `best ${metricTitle(best.metric)} ${best.value.toFixed(4)} at step ${best.step}` : 'no best checkpoint (k-NN monitor off)';
      return pretrainDefault ? `${score}; finetune and export use the ${pretrainDefault} checkpoint by default` : score;
    }
  }
}
