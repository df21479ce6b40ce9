/**
 * The jobs every panel shows (Train, Results, Export), kept current from `jobs.list` and the
 * service's job events, with each job's loss/lr curve: its recorded history (`runs.metrics`)
 * merged with the progress events that stream in. Also the names users gave runs and the runs
 * picked for comparison. One subscription per client, however many panels read it.
 */
import type { ApiClient, RunLabel } from '#common/api/contract.js';
import type { JobInfo } from '#common/jobs/job-spec.js';
import { showError } from '../state.svelte.js';
import { appendPoint, mergeHistory, mergeJob, type CurvePoint } from './job-list.js';

export interface JobsState {
  list: JobInfo[];
  curves: Record<string, CurvePoint[]>;
  /** Names and notes by job id (runs.labels). */
  labels: Record<string, RunLabel>;
  /** Training runs overlaid on the charts besides the current one, in the order picked. */
  compare: string[];
}

export const jobs: JobsState = $state({ list: [], curves: {}, labels: {}, compare: [] });

let watched: ApiClient | null = null;
let unsubscribe: (() => void) | null = null;
/** Jobs whose history was asked for (a failed ask is forgotten, so it is asked again). */
const historyAsked = new Set<string>();

/** Starts following a client's jobs (again only when the client changed); loads the list. */
export function watchJobs(client: ApiClient): void {
  if (watched === client) return;
  unsubscribe?.();
  watched = client;
  historyAsked.clear();
  unsubscribe = client.onEvent((event) => {
    if (event.type === 'job.state') {
      jobs.list = mergeJob(jobs.list, event.job);
    } else if (event.type === 'job.progress') {
      jobs.curves[event.id] = appendPoint(jobs.curves[event.id] ?? [], event.progress);
      const job = jobs.list.find((j) => j.id === event.id);
      if (job) job.progress = event.progress;
    }
  });
  void refreshJobs();
}

async function refreshJobs(): Promise<void> {
  if (!watched) return;
  try {
    const [list, labels] = await Promise.all([watched.call('jobs.list', {}), watched.call('runs.labels', {})]);
    jobs.list = list.reduce<JobInfo[]>((acc, j) => mergeJob(acc, j), []);
    jobs.labels = Object.fromEntries(labels.map((l) => [l.job, l]));
  } catch (err) {
    showError(err);
  }
}

/**
 * Loads a training job's recorded curve once (after a reload the events of the steps already run
 * are gone; metrics.jsonl has them). A job with no run folder yet is asked again later.
 */
export async function loadHistory(client: ApiClient, job: JobInfo): Promise<void> {
  if ((job.kind !== 'pretrain' && job.kind !== 'finetune') || historyAsked.has(job.id) || job.state === 'queued') return;
  historyAsked.add(job.id);
  try {
    const metrics = await client.call('runs.metrics', { run: job.id });
    if (metrics.run === null) historyAsked.delete(job.id);
    jobs.curves[job.id] = mergeHistory(metrics.points, jobs.curves[job.id] ?? []);
  } catch (err) {
    historyAsked.delete(job.id);
    throw err;
  }
}

/** Stores a run's name and notes with the service, then shows them. */
export async function saveLabel(client: ApiClient, job: string, name: string, notes: string): Promise<void> {
  const label = await client.call('runs.setLabel', { job, name, notes });
  jobs.labels[job] = label;
}

export function toggleCompare(id: string): void {
  jobs.compare = jobs.compare.includes(id) ? jobs.compare.filter((c) => c !== id) : [...jobs.compare, id];
}

/** Records a job the service just accepted, before its first event arrives. */
export function noteJob(job: JobInfo): void {
  jobs.list = mergeJob(jobs.list, job);
}
