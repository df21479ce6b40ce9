/**
 * The job list and each job's loss/lr history, as plain functions over plain data so the runes
 * store (jobs.svelte.ts) stays a thin wiring layer and the rules can be tested without a DOM.
 */
import type { RunMetricPoint } from '#common/api/contract.js';
import type { JobInfo, JobKind, JobProgress, JobState } from '#common/jobs/job-spec.js';

/** One step of a curve: what `runs.metrics` reads from metrics.jsonl and a live progress event carries. */
export type CurvePoint = RunMetricPoint;

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

/**
 * A run's recorded history (`runs.metrics`) with the points live events added meanwhile: one
 * point per step, the recorded one where both have it (it is what the run wrote), in step order.
 * Live points past the history's last step are the steps run since it was read.
 */
export function mergeHistory(history: readonly CurvePoint[], live: readonly CurvePoint[]): CurvePoint[] {
  const byStep = new Map<number, CurvePoint>();
  for (const p of live) byStep.set(p.step, p);
  for (const p of history) byStep.set(p.step, p.validation || !byStep.get(p.step)?.validation ? p : { ...p, validation: byStep.get(p.step)!.validation });
  const merged = [...byStep.values()].sort((a, b) => a.step - b.step);
  return merged.length > MAX_CURVE_POINTS ? merged.filter((p, i) => i % 2 === 1 || i === merged.length - 1 || p.validation) : merged;
}

/** The validation metrics the points carry, in first-seen order. */
export function validationMetrics(points: readonly CurvePoint[]): string[] {
  const seen = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.validation ?? {})) seen.add(k);
  return [...seen];
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
