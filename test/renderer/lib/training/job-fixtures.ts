/** JobInfo values for the panel helpers' tests; only the fields the helpers read matter. */
import type { JobInfo, JobKind, JobState } from '../../../../core/common/jobs/job-spec.js';

export function jobInfo(id: string, kind: JobKind, options: Record<string, unknown>, extra: Partial<JobInfo> = {}): JobInfo {
  return {
    id,
    kind,
    spec: { kind, catalog: '/data/catalog.sqlite', options } as JobInfo['spec'],
    state: 'completed' as JobState,
    runDir: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    endedAt: null,
    error: null,
    progress: null,
    result: null,
    ...extra,
  };
}
