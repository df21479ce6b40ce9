/**
 * JobProcess over Electron's utilityProcess: the job worker runs outside the main process, so
 * training never stalls the window, and a worker that dies is reported like any other exit.
 * Electron's 'exit' carries only a code; its app-wide 'child-process-gone' says why a utility
 * process died, so both are watched and the reason travels in onExit's second argument.
 */
import { app, utilityProcess, type Details, type UtilityProcess } from 'electron';
import type { ParentMessage } from '../core/jobs/job-messages.js';
import { JOB_WORKER_ENTRY, type JobProcess, type JobProcessFactory } from '../core/jobs/job-process.js';
import { LineSplitter } from '../core/jobs/line-splitter.js';

export const JOB_SERVICE_NAME = 'SEN12MS training';

let forks = 0;

/** Lines the worker prints outside its own log (native libraries, crash reports) go to main's stderr, named. */
function forwardOutput(stream: NodeJS.ReadableStream | null, name: string): void {
  if (!stream) return;
  const splitter = new LineSplitter((line) => process.stderr.write(`[${name}] ${line}\n`));
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => splitter.write(chunk));
  stream.on('end', () => splitter.end());
}

/**
 * Starts a job worker in a utility process. `entry` defaults to the built worker; the
 * onExit `signal` is Electron's reason ('crashed', 'killed', 'oom', ...) when it reported the
 * process gone abnormally, else null.
 */
export function utilityJobProcess(entry: string = JOB_WORKER_ENTRY): JobProcess {
  // A name per process, because 'child-process-gone' identifies the process only by its name.
  const name = `${JOB_SERVICE_NAME} #${++forks}`;
  const child: UtilityProcess = utilityProcess.fork(entry, [], { serviceName: name, stdio: 'pipe' });
  forwardOutput(child.stdout, name);
  forwardOutput(child.stderr, name);

  let goneReason: string | null = null;
  let exited = false;
  const onGone = (_event: unknown, details: Details) => {
    if (details.type === 'Utility' && details.name === name && details.reason !== 'clean-exit') goneReason = details.reason;
  };
  app.on('child-process-gone', onGone);

  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  child.once('exit', (code) => {
    exited = true;
    // Electron does not order 'exit' against 'child-process-gone'; one turn lets the reason arrive.
    setImmediate(() => {
      app.off('child-process-gone', onGone);
      for (const listener of exitListeners) listener(code, goneReason);
    });
  });

  return {
    send(msg: ParentMessage) {
      // A worker that already exited cannot take a message; its exit is reported separately.
      if (!exited) child.postMessage(msg);
    },
    onMessage: (cb) => void child.on('message', cb),
    onExit: (cb) => void exitListeners.push(cb),
    kill: () => void child.kill(),
    get pid() {
      return child.pid;
    },
  };
}

export const createUtilityJobProcess: JobProcessFactory = () => utilityJobProcess();
