import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ServiceError } from '../../core/common/api/service-error.js';
import type { ApiClient, JobRequest } from '../../core/common/api/contract.js';
import type { JobInfo } from '../../core/common/jobs/job-spec.js';
import type { ParentMessage } from '../../core/jobs/job-messages.js';
import type { JobProcess } from '../../core/jobs/job-process.js';
import type { StudioService } from '../../core/service/service.js';

/** The code and message of the ServiceError a call rejects with; fails the test otherwise. */
export async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await call.then(
    () => new Error('the call was not refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  return { code: (err as ServiceError).code, message: (err as ServiceError).message };
}

let savedCache: string | undefined;

/** Points the service's cache (the sample, catalogs of data sets) into `root` for this test file. */
export function cacheIn(root: string): void {
  savedCache = process.env.SEN12MS_STUDIO_CACHE;
  process.env.SEN12MS_STUDIO_CACHE = path.join(root, 'cache');
}

/** Closes the service, puts the cache setting back and removes `root`. */
export async function tearDown(service: StudioService | undefined, root: string): Promise<void> {
  await service?.close();
  if (savedCache === undefined) delete process.env.SEN12MS_STUDIO_CACHE;
  else process.env.SEN12MS_STUDIO_CACHE = savedCache;
  fs.rmSync(root, { recursive: true, force: true });
}

/**
 * A job process with no process behind it: on the start message `answer` sends what the worker
 * would (through `reply`), then it exits 0. The service cannot tell it from a forked worker.
 */
export function scriptedJobProcess(
  answer: (start: Extract<ParentMessage, { type: 'start' }>, reply: (msg: unknown) => void) => void | Promise<void>,
): JobProcess {
  let message: (msg: unknown) => void = () => {};
  let exit: (code: number | null, signal: string | null) => void = () => {};
  return {
    pid: 1,
    onMessage: (cb) => (message = cb),
    onExit: (cb) => (exit = cb),
    kill: () => exit(null, 'SIGTERM'),
    send(msg: ParentMessage) {
      if (msg.type !== 'start') return;
      setImmediate(async () => {
        await answer(msg, message);
        exit(0, null);
      });
    },
  };
}

/** Starts a job on `dataset` and waits for its final state (listening first: a scripted worker may end it at once). */
export async function runJob(api: ApiClient, dataset: string, request: JobRequest): Promise<JobInfo> {
  const ended = new Map<string, JobInfo>();
  let waiting: { id: string; resolve: (job: JobInfo) => void } | null = null;
  const off = api.onEvent((e) => {
    if (e.type !== 'job.state' || ['queued', 'running'].includes(e.job.state)) return;
    ended.set(e.job.id, e.job);
    if (waiting?.id === e.job.id) waiting.resolve(e.job);
  });
  try {
    const { id } = await api.call('jobs.start', { dataset, ...request });
    return await new Promise<JobInfo>((resolve) => (ended.has(id) ? resolve(ended.get(id)!) : (waiting = { id, resolve })));
  } finally {
    off();
  }
}
