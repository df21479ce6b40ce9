/**
 * The jobs every panel shows (Train, Results, Export), kept current from `jobs.list` and the
 * service's job events, with each job's loss/lr curve as it streams in. One subscription per
 * client, however many panels read it.
 */
import type { ApiClient } from '#common/api/contract.js';
import type { JobInfo } from '#common/jobs/job-spec.js';
import { showError } from '../state.svelte.js';
import { appendPoint, mergeJob, type CurvePoint } from './job-list.js';

export interface JobsState {
  list: JobInfo[];
  curves: Record<string, CurvePoint[]>;
}

export const jobs: JobsState = $state({ list: [], curves: {} });

let watched: ApiClient | null = null;
let unsubscribe: (() => void) | null = null;

/** Starts following a client's jobs (again only when the client changed); loads the list. */
export function watchJobs(client: ApiClient): void {
  if (watched === client) return;
  unsubscribe?.();
  watched = client;
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
    const list = await watched.call('jobs.list', {});
    jobs.list = list.reduce<JobInfo[]>((acc, j) => mergeJob(acc, j), []);
  } catch (err) {
    showError(err);
  }
}

/** Records a job the service just accepted, before its first event arrives. */
export function noteJob(job: JobInfo): void {
  jobs.list = mergeJob(jobs.list, job);
}
