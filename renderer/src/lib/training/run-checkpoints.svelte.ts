/**
 * `runs.checkpoints` of completed jobs, asked once per job: a completed run writes no more
 * checkpoints (only interrupted, cancelled or failed jobs resume), so the answer stays true.
 */
import type { ApiClient, RunCheckpoints } from '#common/api/contract.js';

export const runCheckpoints: Record<string, RunCheckpoints> = $state({});

const asked = new Map<string, Promise<RunCheckpoints>>();

/** The checkpoints of a completed pretrain or finetune job; a failed call is asked again next time. */
export function loadRunCheckpoints(client: ApiClient, job: string): Promise<RunCheckpoints> {
  let pending = asked.get(job);
  if (!pending) {
    pending = client.call('runs.checkpoints', { run: job }).then(
      (list) => (runCheckpoints[job] = list),
      (err: unknown) => {
        asked.delete(job);
        throw err;
      },
    );
    asked.set(job, pending);
  }
  return pending;
}
