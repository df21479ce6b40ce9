/**
 * Entry of a job worker process (Electron utility process or forked Node process): receives one
 * `start`, runs that job, reports progress, log lines and the outcome, then exits. Anything the
 * job prints goes to the manager as log lines, so the job's log holds it.
 */
import { parseParentMessage, type WorkerMessage } from './job-messages.js';
import { runJob } from './job-runner.js';
import type { JobProgress } from '../common/jobs/job-spec.js';
import { LineSplitter } from './line-splitter.js';
import { LatestThrottle } from './throttle.js';
import { workerPort } from './worker-port.js';

/** At most five progress messages a second. */
const PROGRESS_INTERVAL_MS = 200;

const port = workerPort();
const controller = new AbortController();
let started = false;
let finished = false;

/** A message that cannot be sent means the manager is gone: nothing is left to report to. */
function post(msg: WorkerMessage): Promise<void> {
  return port.send(msg).catch(() => process.exit(1));
}

const log = (line: string) => void post({ type: 'log', line });
const splitters = [process.stdout, process.stderr].map((stream) => {
  const splitter = new LineSplitter(log);
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
    splitter.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') done();
    return true;
  }) as typeof stream.write;
  return splitter;
});

async function finish(msg: Extract<WorkerMessage, { type: 'done' | 'failed' }>, code: number): Promise<void> {
  if (finished) return;
  finished = true;
  for (const s of splitters) s.end();
  await post(msg);
  port.exit(code);
}

function fail(err: unknown): Promise<void> {
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.stack) log(error.stack);
  return finish({ type: 'failed', error: error.message }, 1);
}

process.on('uncaughtException', (err) => void fail(err));
process.on('unhandledRejection', (err) => void fail(err));

port.onMessage((raw) => {
  let msg;
  try {
    msg = parseParentMessage(raw);
  } catch (err) {
    void fail(err);
    return;
  }
  if (msg.type === 'cancel') {
    controller.abort();
    return;
  }
  if (started) {
    void fail(new Error('job worker: a second start message; a worker runs one job'));
    return;
  }
  started = true;
  const progress = new LatestThrottle<JobProgress>((p) => void post({ type: 'progress', progress: p }), PROGRESS_INTERVAL_MS);
  runJob(msg.job.spec, {
    resume: msg.resume,
    runsDir: msg.runsDir,
    signal: controller.signal,
    onRunDir: (runDir) => void post({ type: 'started', runDir }),
    onProgress: (p) => {
      progress.push(p);
      // An epoch's validation (k-NN top-1, micro-F1) is a point of its own curve: never dropped.
      if (p.validation) progress.flush();
    },
    log,
  }).then(
    (result) => {
      progress.flush();
      // The same plain JSON whichever transport carries it (structured clone would keep NaN).
      return finish({ type: 'done', result: JSON.parse(JSON.stringify(result ?? null)) }, 0);
    },
    (err) => {
      progress.flush();
      return fail(err);
    },
  );
});
