/**
 * The app's job queue: jobs persist in the app database, run one at a time, each in its own worker
 * process, and every line they print goes to their log. A worker that dies without reporting an
 * outcome leaves its job `interrupted`, resumable from the run's last checkpoint.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AppDb } from '../app-db/schema.js';
import { parseWorkerMessage, type WorkerMessage } from './job-messages.js';
import { appendJobLog, readJobLog } from './job-log.js';
import type { JobProcess, JobProcessFactory } from './job-process.js';
import { checkEvaluationResult, evaluationSummary } from './job-results.js';
import { validateJobSpec, type JobInfo, type JobKind, type JobProgress, type JobSpec, type JobState } from '../common/jobs/job-spec.js';
import { JobStore, type JobUpdate, type StoredEvaluation } from './job-store.js';
import { subsetTextFromHere } from '../sampler/subset-text.js';
import { ServiceError } from '../common/api/service-error.js';

export type JobEvent = { type: 'job.state'; job: JobInfo } | { type: 'job.progress'; id: string; progress: JobProgress };

export interface JobManagerOptions {
  db: AppDb;
  /** Folder new run directories are created in. */
  runsDir: string;
  /** Folder of the job logs. */
  jobsDir: string;
  createProcess: JobProcessFactory;
}

/** `job-<yyyymmdd-hhmmss>-<4 hex>`: sorts by creation, short enough to type. */
export const JOB_ID_PATTERN = /^job-\d{8}-\d{6}-[0-9a-f]{4}$/;

/** How long a worker may linger after reporting its outcome before it is ended. */
const EXIT_GRACE_MS = 10_000;

/** Why a job id does not stand for a directory. */
export class JobReferenceError extends Error {
  constructor(
    readonly reason: 'no-job' | 'wrong-kind' | 'not-completed' | 'no-directory',
    message: string,
  ) {
    super(message);
    this.name = 'JobReferenceError';
  }
}

const RESUMABLE: readonly JobState[] = ['interrupted', 'cancelled', 'failed'];
const TRAINING: readonly JobKind[] = ['pretrain', 'finetune'];

interface Running {
  job: JobInfo;
  proc: JobProcess;
  /** The job's final state is decided; later messages are ignored. */
  ended: boolean;
  cancelRequested: boolean;
  killTimer: NodeJS.Timeout | null;
  exited: Promise<void>;
}

export class JobManager {
  private readonly store: JobStore;
  private readonly listeners = new Set<(e: JobEvent) => void>();
  private current: Running | null = null;
  private closed = false;

  constructor(private readonly opts: JobManagerOptions) {
    this.store = new JobStore(opts.db);
    for (const job of this.store.inState('running')) {
      this.setState(job.id, 'interrupted', { error: 'the app stopped while the job was running' });
    }
    // After the caller's first onEvent, so it sees the queue start.
    queueMicrotask(() => this.pump());
  }

  /** Queues a job; references to other jobs (by id) become their directories. */
  start(spec: unknown): JobInfo {
    if (this.closed) throw new Error('the job manager is closed');
    const resolved = this.resolveReferences(validateJobSpec(spec));
    const job: JobInfo = {
      id: this.newId(),
      kind: resolved.kind,
      spec: resolved,
      state: 'queued',
      runDir: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      endedAt: null,
      error: null,
      progress: null,
      result: null,
    };
    this.store.insert(job);
    this.note(job.id, `state: queued ${JSON.stringify(resolved)}`);
    this.emit({ type: 'job.state', job });
    queueMicrotask(() => this.pump());
    return job;
  }

  /**
   * A queued job is cancelled at once; a training job stops after its current step with a cancel
   * checkpoint (resumable); an evaluation or export is stopped where it is.
   */
  cancel(id: string): JobInfo {
    const job = this.require(id);
    if (job.state === 'queued') return this.setState(id, 'cancelled');
    const cur = this.current;
    if (job.state !== 'running' || cur?.job.id !== id || cur.ended) throw new Error(`job ${id} is ${job.state}; only queued or running jobs can be cancelled`);
    cur.cancelRequested = true;
    this.note(id, 'cancel requested');
    if (TRAINING.includes(job.kind)) cur.proc.send({ type: 'cancel' });
    else cur.proc.kill();
    return job;
  }

  /** Queues an interrupted, cancelled or failed training job again, to continue its run directory. */
  resume(id: string): JobInfo {
    if (this.closed) throw new Error('the job manager is closed');
    const job = this.require(id);
    if (!TRAINING.includes(job.kind)) throw new Error(`job ${id} is a ${job.kind} job; only pretrain and finetune jobs can be resumed`);
    if (!RESUMABLE.includes(job.state)) throw new Error(`job ${id} is ${job.state}; only ${RESUMABLE.join(', ')} jobs can be resumed`);
    if (job.runDir === null) throw new Error(`job ${id} has no run directory to resume (it ended before its first step); start it again instead`);
    const queued = this.store.requeue(id);
    this.note(id, `state: queued (resume ${job.runDir})`);
    this.emit({ type: 'job.state', job: queued });
    queueMicrotask(() => this.pump());
    return queued;
  }

  /** Every job, oldest first. */
  list(): JobInfo[] {
    return this.store.list();
  }

  get(id: string): JobInfo | null {
    return this.store.get(id);
  }

  /** The job's log lines (its last `tail` lines). */
  log(id: string, opts: { tail?: number } = {}): string[] {
    this.require(id);
    return readJobLog(this.opts.jobsDir, id, opts.tail);
  }

  /** The full EvaluationResult of a finished evaluate job, or null. */
  evaluation(id: string): StoredEvaluation | null {
    return this.store.evaluation(id);
  }

  /** Every stored evaluation of a model directory (a finetune run or an exported model). */
  evaluationsOf(model: string): StoredEvaluation[] {
    return this.store.evaluationsOf(resolve(model));
  }

  onEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the queue; a running job's worker is ended and the job left interrupted. */
  async close(): Promise<void> {
    this.closed = true;
    const cur = this.current;
    if (!cur) return;
    if (!cur.ended) this.end(cur, 'interrupted', { error: 'the app closed while the job was running' });
    cur.proc.kill();
    await cur.exited;
  }

  private pump(): void {
    if (this.closed || this.current) return;
    const next = this.store.nextQueued();
    if (!next) return;
    // A job with a run directory was queued by resume().
    const resume = next.runDir;
    const job = this.setState(next.id, 'running', { startedAt: new Date().toISOString(), endedAt: null, error: null });
    let proc: JobProcess;
    try {
      proc = this.opts.createProcess();
    } catch (err) {
      this.setState(job.id, 'failed', { error: `cannot start a worker process: ${(err as Error).message}` });
      queueMicrotask(() => this.pump());
      return;
    }
    let exited!: () => void;
    const cur: Running = { job, proc, ended: false, cancelRequested: false, killTimer: null, exited: new Promise((r) => (exited = r)) };
    this.current = cur;
    this.note(job.id, `worker started (pid ${proc.pid ?? 'unknown'})${resume ? `, resuming ${resume}` : ''}`);
    proc.onMessage((raw) => this.onWorkerMessage(cur, raw));
    proc.onExit((code, signal) => {
      this.onWorkerExit(cur, code, signal);
      exited();
    });
    proc.send({ type: 'start', job, resume, runsDir: this.opts.runsDir });
  }

  private onWorkerMessage(cur: Running, raw: unknown): void {
    if (cur.ended) return;
    let msg: WorkerMessage;
    try {
      msg = parseWorkerMessage(raw);
    } catch (err) {
      this.end(cur, 'failed', { error: (err as Error).message });
      cur.proc.kill();
      return;
    }
    const id = cur.job.id;
    switch (msg.type) {
      case 'started':
        this.note(id, `run directory: ${msg.runDir}`);
        this.emit({ type: 'job.state', job: this.store.update(id, { runDir: msg.runDir }) });
        return;
      case 'progress':
        this.store.update(id, { progress: msg.progress });
        this.emit({ type: 'job.progress', id, progress: msg.progress });
        return;
      case 'log':
        this.note(id, msg.line);
        return;
      case 'failed':
        this.end(cur, 'failed', { error: msg.error });
        return;
      case 'done':
        try {
          this.finishDone(cur, msg.result);
        } catch (err) {
          this.end(cur, 'failed', { error: (err as Error).message });
        }
    }
  }

  private finishDone(cur: Running, result: unknown): void {
    const { job } = cur;
    if (job.spec.kind === 'evaluate') {
      const evaluation = checkEvaluationResult(result);
      this.store.saveEvaluation({ jobId: job.id, model: job.spec.options.model, split: evaluation.split, result: evaluation });
      this.end(cur, 'completed', { result: evaluationSummary(evaluation) });
      return;
    }
    const cancelled = TRAINING.includes(job.kind) && (result as { status?: unknown } | null)?.status === 'cancelled';
    this.end(cur, cancelled ? 'cancelled' : 'completed', { result });
  }

  private onWorkerExit(cur: Running, code: number | null, signal: string | null): void {
    if (cur.killTimer) clearTimeout(cur.killTimer);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    this.note(cur.job.id, `worker exited (${how})`);
    if (!cur.ended) {
      if (code === null && signal === null) this.end(cur, 'failed', { error: 'the worker process could not be started' });
      else if (cur.cancelRequested) this.end(cur, 'cancelled', {});
      else this.end(cur, 'interrupted', { error: `the worker exited (${how}) before the job ended` });
    }
    this.current = null;
    this.pump();
  }

  /** Decides the running job's final state; the worker gets a grace period to exit. */
  private end(cur: Running, state: JobState, fields: JobUpdate): void {
    cur.ended = true;
    this.setState(cur.job.id, state, fields);
    cur.killTimer = setTimeout(() => cur.proc.kill(), EXIT_GRACE_MS);
    cur.killTimer.unref();
  }

  private setState(id: string, state: JobState, fields: JobUpdate = {}): JobInfo {
    const ended = state !== 'queued' && state !== 'running';
    const job = this.store.update(id, { ...fields, state, ...(ended ? { endedAt: new Date().toISOString() } : {}) });
    this.note(id, `state: ${state}${job.error && ended ? ` (${job.error})` : ''}`);
    this.emit({ type: 'job.state', job });
    return job;
  }

  private emit(e: JobEvent): void {
    for (const listener of this.listeners) listener(e);
  }

  /** Appends a timestamped line to the job's log. */
  private note(id: string, line: string): void {
    appendJobLog(this.opts.jobsDir, id, `${new Date().toISOString()} ${line}`);
  }

  private require(id: string): JobInfo {
    const job = this.store.get(id);
    if (!job) throw new ServiceError('not-found', `no job "${id}"`);
    return job;
  }

  private newId(): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    for (;;) {
      const id = `job-${stamp}-${randomBytes(2).toString('hex')}`;
      if (!this.store.has(id)) return id;
    }
  }

  /** Paths made absolute (the worker may run elsewhere); job ids replaced by their directories. */
  private resolveReferences(spec: JobSpec): JobSpec {
    const catalog = resolve(spec.catalog);
    switch (spec.kind) {
      case 'pretrain':
        return { ...spec, catalog, options: { ...spec.options, ...subsetPath(spec.options.subset) } };
      case 'finetune': {
        const o = spec.options;
        const pretrained = o.pretrained === undefined ? {} : { pretrained: this.directory(o.pretrained, 'pretrained', ['pretrain', 'export']) };
        return { ...spec, catalog, options: { ...o, ...subsetPath(o.subset), ...pretrained } };
      }
      case 'evaluate': {
        const o = spec.options;
        const by = typeof o.by === 'object' ? { by: { regions: resolve(o.by.regions) } } : {};
        const predictions = o.predictions === undefined ? {} : { predictions: resolve(o.predictions) };
        return { ...spec, catalog, options: { ...o, model: this.directory(o.model, 'model', ['finetune', 'export']), ...by, ...predictions } };
      }
      case 'export':
        return { ...spec, catalog, options: { ...spec.options, run: this.directory(spec.options.run, 'run', ['pretrain', 'finetune']), dest: resolve(spec.options.dest) } };
    }
  }

  /**
   * A directory given as a path (made absolute), or as the id of a completed job of one of
   * `kinds` (its run directory, or an export's destination): what job options and the service's
   * run methods take. A job id that cannot stand for one throws a JobReferenceError.
   */
  resolveDirectory(value: string, kinds: readonly JobKind[]): string {
    if (!JOB_ID_PATTERN.test(value)) return resolve(value);
    const job = this.store.get(value);
    if (!job) throw new JobReferenceError('no-job', `no job "${value}"`);
    if (!kinds.includes(job.kind)) throw new JobReferenceError('wrong-kind', `job ${value} is a ${job.kind} job; expected a ${kinds.join(' or ')} job`);
    if (job.state !== 'completed') throw new JobReferenceError('not-completed', `job ${value} is ${job.state}, not completed`);
    const dir = job.spec.kind === 'export' ? job.spec.options.dest : job.runDir;
    if (dir === null) throw new JobReferenceError('no-directory', `job ${value} has no run directory`);
    return dir;
  }

  /** resolveDirectory for a job option, its refusal naming the field. */
  private directory(value: string, field: string, kinds: readonly JobKind[]): string {
    try {
      return this.resolveDirectory(value, kinds);
    } catch (err) {
      if (err instanceof JobReferenceError) throw new Error(`invalid job spec: spec.options.${field}: ${err.message}`);
      throw err;
    }
  }
}

function subsetPath(subset: string | undefined): { subset?: string } {
  return subset === undefined ? {} : { subset: subsetTextFromHere(subset) };
}
