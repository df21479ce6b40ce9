/**
 * Jobs and evaluation results in the app database (tables of migration 2 in core/app-db/schema.ts):
 * rows in, JobInfo out. What is read back is checked, since another version of the app may have
 * written it.
 */
import type { AppDb } from '../app-db/schema.js';
import { schemaErrors } from '../common/util/json-schema.js';
import { JOB_PROGRESS_SCHEMA } from './job-messages.js';
import { validateJobSpec, type JobInfo, type JobKind, type JobProgress, type JobState } from '../common/jobs/job-spec.js';

interface JobRow {
  id: string;
  kind: JobKind;
  spec: string;
  state: JobState;
  run_dir: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
  progress: string | null;
  result: string | null;
}

/** One stored evaluation of a model directory. */
export interface StoredEvaluation {
  jobId: string;
  model: string;
  split: string;
  /** The EvaluationResult as the worker reported it. */
  result: unknown;
}

/** The fields of a job that change as it runs. */
export type JobUpdate = Partial<Pick<JobInfo, 'state' | 'runDir' | 'startedAt' | 'endedAt' | 'error' | 'progress' | 'result'>>;

const COLUMNS: Record<keyof JobUpdate, string> = {
  state: 'state',
  runDir: 'run_dir',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  error: 'error',
  progress: 'progress',
  result: 'result',
};

export class JobStore {
  constructor(private readonly db: AppDb) {}

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM jobs WHERE id = ?').get(id) !== undefined;
  }

  /** Adds a new job at the end of the queue. */
  insert(job: JobInfo): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, spec, state, run_dir, created_at, started_at, ended_at, error, progress, result, queue_position)
         VALUES (?, ?, ?, 'queued', NULL, ?, NULL, NULL, NULL, NULL, NULL, (SELECT COALESCE(MAX(queue_position), 0) + 1 FROM jobs))`,
      )
      .run(job.id, job.kind, JSON.stringify(job.spec), job.createdAt);
  }

  get(id: string): JobInfo | null {
    const row = this.db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?').get(id);
    return row ? this.toJob(row) : null;
  }

  /** Every job, oldest first. */
  list(): JobInfo[] {
    return this.db.prepare<[], JobRow>('SELECT * FROM jobs ORDER BY created_at, rowid').all().map((r) => this.toJob(r));
  }

  /** The job first in the queue, or null. */
  nextQueued(): JobInfo | null {
    const row = this.db.prepare<[], JobRow>("SELECT * FROM jobs WHERE state = 'queued' ORDER BY queue_position LIMIT 1").get();
    return row ? this.toJob(row) : null;
  }

  update(id: string, fields: JobUpdate): JobInfo {
    const entries = Object.entries(fields) as [keyof JobUpdate, unknown][];
    if (entries.length > 0) {
      const sets = entries.map(([k]) => `${COLUMNS[k]} = ?`);
      const values = entries.map(([k, v]) => ((k === 'progress' || k === 'result') && v !== null ? JSON.stringify(v) : v));
      // Only a queued job holds a place in the queue.
      const queue = fields.state === undefined ? '' : `, queue_position = CASE WHEN ? = 'queued' THEN queue_position ELSE NULL END`;
      this.db.prepare(`UPDATE jobs SET ${sets.join(', ')}${queue} WHERE id = ?`).run(...values, ...(queue ? [fields.state] : []), id);
    }
    const job = this.get(id);
    if (!job) throw new Error(`no job "${id}"`);
    return job;
  }

  /** Puts a finished job back at the end of the queue. */
  requeue(id: string): JobInfo {
    this.db
      .prepare(
        `UPDATE jobs SET state = 'queued', ended_at = NULL, error = NULL,
           queue_position = (SELECT COALESCE(MAX(queue_position), 0) + 1 FROM jobs) WHERE id = ?`,
      )
      .run(id);
    return this.get(id)!;
  }

  /** The jobs in a state, oldest first. */
  inState(state: JobState): JobInfo[] {
    return this.db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE state = ? ORDER BY created_at, rowid').all(state).map((r) => this.toJob(r));
  }

  saveEvaluation(e: StoredEvaluation): void {
    this.db.prepare('INSERT OR REPLACE INTO evaluation_results (job_id, model, split, result) VALUES (?, ?, ?, ?)').run(e.jobId, e.model, e.split, JSON.stringify(e.result));
  }

  evaluation(jobId: string): StoredEvaluation | null {
    const row = this.db.prepare<[string], EvaluationRow>('SELECT * FROM evaluation_results WHERE job_id = ?').get(jobId);
    return row ? this.toEvaluation(row) : null;
  }

  /** The evaluations of one model directory, oldest first. */
  evaluationsOf(model: string): StoredEvaluation[] {
    return this.db
      .prepare<[string], EvaluationRow>('SELECT e.* FROM evaluation_results e JOIN jobs j ON j.id = e.job_id WHERE e.model = ? ORDER BY j.created_at, j.rowid')
      .all(model)
      .map((r) => this.toEvaluation(r));
  }

  private json(text: string, what: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${this.db.name}: ${what} is not JSON`);
    }
  }

  private toJob(row: JobRow): JobInfo {
    const where = `job ${row.id}`;
    let spec;
    try {
      spec = validateJobSpec(this.json(row.spec, `${where} spec`));
    } catch (err) {
      throw new Error(`${this.db.name}: ${where}: ${(err as Error).message}`);
    }
    const progress = row.progress === null ? null : this.json(row.progress, `${where} progress`);
    const errors = progress === null ? [] : schemaErrors(JOB_PROGRESS_SCHEMA, progress, 'progress');
    if (errors.length > 0) throw new Error(`${this.db.name}: ${where}: ${errors.join('; ')}`);
    return {
      id: row.id,
      kind: row.kind,
      spec,
      state: row.state,
      runDir: row.run_dir,
      createdAt: row.created_at,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      error: row.error,
      progress: progress as JobProgress | null,
      result: row.result === null ? null : this.json(row.result, `${where} result`),
    };
  }

  private toEvaluation(row: EvaluationRow): StoredEvaluation {
    return { jobId: row.job_id, model: row.model, split: row.split, result: this.json(row.result, `evaluation of job ${row.job_id}`) };
  }
}

interface EvaluationRow {
  job_id: string;
  model: string;
  split: string;
  result: string;
}
