/**
 * The job list and each job's loss/lr history, as plain functions over plain data so the runes
 * store (jobs.svelte.ts) stays a thin wiring layer and the rules can be tested without a DOM.
 */
import type { JobInfo, JobKind, JobProgress, JobState } from '#common/jobs/job-spec.js';

export interface CurvePoint {
  step: number;
  loss: number;
  lr: number;
  /** 0-based epoch of the step. */
  epoch: number;
  /** Validation metrics reported at an epoch end (a pretrain's knn_top1, a finetune's micro-F1...). */
  validation?: Record<string, number>;
}

/** Points kept per job; beyond it every other point without validation is dropped, so a long run still draws fast. */
export const MAX_CURVE_POINTS = 2000;

const ACTIVE_STATES: readonly JobState[] = ['queued', 'running'];

/** Newest first; a job already listed is replaced in place of its old entry. */
export function mergeJob(list: readonly JobInfo[], job: JobInfo): JobInfo[] {
  const rest = list.filter((j) => j.id !== job.id);
  return [job, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Adds a progress report to a job's curve. A resumed job restarts from its last checkpoint, so
 * steps it runs again replace the points recorded past that checkpoint.
 */
export function appendPoint(points: readonly CurvePoint[], progress: JobProgress): CurvePoint[] {
  const kept = points.filter((p) => p.step < progress.step);
  kept.push({ step: progress.step, loss: progress.loss, lr: progress.lr, epoch: progress.epoch, ...(progress.validation ? { validation: progress.validation } : {}) });
  return kept.length > MAX_CURVE_POINTS ? kept.filter((p, i) => i % 2 === 1 || i === kept.length - 1 || p.validation) : kept;
}

/** One validation metric per epoch end, in step order (e.g. a pretrain's k-NN top-1). */
export function validationSeries(points: readonly CurvePoint[], metric: string): { step: number; epoch: number; value: number }[] {
  return points.flatMap((p) => (p.validation?.[metric] !== undefined ? [{ step: p.step, epoch: p.epoch, value: p.validation[metric] }] : []));
}

export function jobsOf(list: readonly JobInfo[], kind: JobKind, state?: JobState): JobInfo[] {
  return list.filter((j) => j.kind === kind && (state === undefined || j.state === state));
}

/** The job the progress bar follows: a running one, else the newest queued one. */
export function activeJob(list: readonly JobInfo[]): JobInfo | null {
  return list.find((j) => j.state === 'running') ?? list.find((j) => j.state === 'queued') ?? null;
}

/** Cancelled, failed and interrupted jobs continue from their last checkpoint. */
export function canResume(job: JobInfo): boolean {
  return (job.kind === 'pretrain' || job.kind === 'finetune') && ['cancelled', 'failed', 'interrupted'].includes(job.state);
}

export function canCancel(job: JobInfo): boolean {
  return ACTIVE_STATES.includes(job.state);
}
