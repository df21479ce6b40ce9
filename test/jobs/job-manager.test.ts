// The manager against scripted in-process workers: what it does with each message and exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppDb, type AppDb } from '../../core/app-db/schema.js';
import type { ParentMessage } from '../../core/jobs/job-messages.js';
import { JobManager, type JobEvent } from '../../core/jobs/job-manager.js';
import type { JobProcess } from '../../core/jobs/job-process.js';
import type { JobSpec } from '../../core/common/jobs/job-spec.js';

/** A worker the test drives: it records what it is sent and replies when told. */
class FakeWorker implements JobProcess {
  readonly sent: ParentMessage[] = [];
  killed = false;
  readonly pid = 4242;
  private message: (msg: unknown) => void = () => {};
  private exit: (code: number | null, signal: string | null) => void = () => {};
  send(msg: ParentMessage) {
    this.sent.push(msg);
  }
  onMessage(cb: (msg: unknown) => void) {
    this.message = cb;
  }
  onExit(cb: (code: number | null, signal: string | null) => void) {
    this.exit = cb;
  }
  kill() {
    this.killed = true;
    this.exit(null, 'SIGTERM');
  }
  reply(msg: unknown) {
    this.message(msg);
  }
  exits(code: number | null, signal: string | null) {
    this.exit(code, signal);
  }
}

let dir: string;
let db: AppDb;
let workers: FakeWorker[];
let events: JobEvent[];
const managers: JobManager[] = [];

function manager(): JobManager {
  const m = new JobManager({
    db,
    runsDir: join(dir, 'runs'),
    jobsDir: join(dir, 'jobs'),
    createProcess: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
  });
  m.onEvent((e) => events.push(e));
  managers.push(m);
  return m;
}

const tick = () => new Promise((r) => setImmediate(r));
const pretrain: JobSpec = { kind: 'pretrain', catalog: 'c.sqlite', options: { epochs: 1 } };
const evaluate = (model: string): JobSpec => ({ kind: 'evaluate', catalog: '/c.sqlite', options: { model } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'job-manager-'));
  db = openAppDb(join(dir, 'app.sqlite'));
  workers = [];
  events = [];
});

afterEach(() => {
  managers.length = 0;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('JobManager', () => {
  it('starts one worker at a time with the resolved spec; the next starts when the first has exited', async () => {
    const m = manager();
    const a = m.start(pretrain);
    const b = m.start(pretrain);
    await tick();
    expect(workers).toHaveLength(1);
    const start = workers[0].sent[0];
    expect(start).toMatchObject({ type: 'start', resume: null, runsDir: join(dir, 'runs'), job: { id: a.id, state: 'running' } });
    expect(start.type === 'start' && start.job.spec.catalog).toBe(join(process.cwd(), 'c.sqlite'));
    expect(a.id).toMatch(/^job-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(b.id).not.toBe(a.id);

    workers[0].reply({ type: 'started', runDir: '/runs/a' });
    workers[0].reply({ type: 'done', result: { runDir: '/runs/a', status: 'completed', steps: 2 } });
    expect(m.get(a.id)).toMatchObject({ state: 'completed', runDir: '/runs/a', result: { steps: 2 } });
    expect(workers).toHaveLength(1);
    workers[0].exits(0, null);
    expect(workers).toHaveLength(2);
    expect(m.get(b.id)!.state).toBe('running');
  });

  it('fails a job whose worker sends a malformed message, ends that worker and goes on with the queue', async () => {
    const m = manager();
    const a = m.start(pretrain);
    const b = m.start(pretrain);
    await tick();
    workers[0].reply({ type: 'progress', progress: { step: 'one' } });
    const failed = m.get(a.id)!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/malformed message from the job worker: .*progress\.progress\.step: must be an integer/);
    expect(workers[0].killed).toBe(true);
    expect(m.log(a.id).join('\n')).toMatch(/state: failed \(malformed message/);
    expect(m.get(b.id)!.state).toBe('running');
  });

  it('a worker that exits without an outcome leaves its job interrupted; resume() re-queues it with its run directory', async () => {
    const m = manager();
    const a = m.start(pretrain);
    await tick();
    workers[0].reply({ type: 'started', runDir: '/runs/a' });
    workers[0].reply({ type: 'log', line: 'step 1' });
    workers[0].exits(null, 'SIGKILL');
    const job = m.get(a.id)!;
    expect(job).toMatchObject({ state: 'interrupted', runDir: '/runs/a' });
    expect(job.error).toMatch(/signal SIGKILL/);
    const log = m.log(a.id);
    expect(log.some((l) => l.endsWith(' step 1'))).toBe(true);
    expect(m.log(a.id, { tail: 2 })).toEqual(log.slice(-2));

    expect(m.resume(a.id).state).toBe('queued');
    await tick();
    expect(workers[1].sent[0]).toMatchObject({ type: 'start', resume: '/runs/a', job: { id: a.id } });
    expect(() => m.resume(a.id)).toThrow(/is running; only interrupted, cancelled, failed jobs can be resumed/);
  });

  it('cancels a queued job at once, asks a training worker to stop, and ends an evaluation worker', async () => {
    const m = manager();
    const a = m.start(pretrain);
    const b = m.start(pretrain);
    expect(m.cancel(b.id).state).toBe('cancelled');
    await tick();
    m.cancel(a.id);
    expect(workers[0].sent.at(-1)).toEqual({ type: 'cancel' });
    workers[0].reply({ type: 'done', result: { status: 'cancelled' } });
    expect(m.get(a.id)!.state).toBe('cancelled');
    workers[0].exits(0, null);
    expect(workers).toHaveLength(1);

    const e = m.start(evaluate('/runs/model'));
    await tick();
    m.cancel(e.id);
    expect(workers[1].killed).toBe(true);
    expect(m.get(e.id)!.state).toBe('cancelled');
    expect(() => m.cancel(e.id)).toThrow(/is cancelled; only queued or running jobs can be cancelled/);
  });

  it('marks a job left running by an app that stopped interrupted, and starts the queue', async () => {
    const first = manager();
    const a = first.start(pretrain);
    const b = first.start(pretrain);
    await tick();
    expect(first.get(a.id)!.state).toBe('running');
    // The first app "dies": its manager is never closed.
    const second = manager();
    expect(second.get(a.id)).toMatchObject({ state: 'interrupted', error: 'the app stopped while the job was running' });
    await tick();
    expect(second.get(b.id)!.state).toBe('running');
    expect(workers).toHaveLength(2);
  });

  it('resolves job ids to directories and refuses unknown or unfinished ones, naming the field', async () => {
    const m = manager();
    expect(() => m.start(evaluate('job-20260101-120000-abcd'))).toThrow(/spec\.options\.model: no job "job-20260101-120000-abcd"/);
    const p = m.start(pretrain);
    expect(() => m.start({ kind: 'export', catalog: '/c', options: { run: p.id, formats: ['tfjs'], dest: 'out' } })).toThrow(/spec\.options\.run: job .* is (queued|running), not completed/);
    expect(() => m.start(evaluate(p.id))).toThrow(/spec\.options\.model: job .* is a pretrain job; expected a finetune or export job/);
    await tick();
    workers[0].reply({ type: 'started', runDir: '/runs/p' });
    workers[0].reply({ type: 'done', result: { status: 'completed' } });
    const x = m.start({ kind: 'export', catalog: '/c', options: { run: p.id, formats: ['tfjs'], dest: 'out' } });
    expect(x.spec).toMatchObject({ options: { run: '/runs/p', dest: join(process.cwd(), 'out') } });
    await m.close();
    expect(() => m.start(pretrain)).toThrow(/closed/);
  });

  it('close() ends the running worker and leaves its job interrupted', async () => {
    const m = manager();
    const a = m.start(pretrain);
    await tick();
    await m.close();
    expect(workers[0].killed).toBe(true);
    expect(m.get(a.id)).toMatchObject({ state: 'interrupted', error: 'the app closed while the job was running' });
    expect(events.filter((e) => e.type === 'job.state' && e.job.id === a.id).map((e) => (e as { job: { state: string } }).job.state)).toEqual([
      'queued',
      'running',
      'interrupted',
    ]);
  });
});
