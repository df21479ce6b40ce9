/**
 * The handle the job manager drives a worker process through, whatever started it: a forked Node
 * process here (server mode, tests), Electron's utilityProcess in the desktop shell.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { siblingModule } from '../util/worker-url.js';
import type { ParentMessage } from './job-messages.js';

export interface JobProcess {
  send(msg: ParentMessage): void;
  /** Every message the worker sends, unchecked (the manager checks them). */
  onMessage(cb: (msg: unknown) => void): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type JobProcessFactory = () => JobProcess;

/**
 * Absolute path of the worker entry next to this module: dist/core/jobs/job-worker.js in the
 * built app (what the Electron shell passes to utilityProcess.fork), the .ts source under tests.
 */
export const JOB_WORKER_ENTRY: string = fileURLToPath(siblingModule(import.meta.url, 'job-worker'));

/** Starts the worker entry with child_process.fork; from the .ts sources it runs under tsx. */
export function forkJobProcess(): JobProcess {
  const child = fork(JOB_WORKER_ENTRY, [], {
    execArgv: JOB_WORKER_ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send(msg) {
      // A worker that already exited cannot take a message; its exit is reported separately.
      if (child.connected) child.send(msg);
    },
    onMessage: (cb) => void child.on('message', cb),
    onExit(cb) {
      child.on('exit', (code, signal) => cb(code, signal));
      // A process that never started has no exit event to wait for.
      child.on('error', () => {
        if (child.pid === undefined) cb(null, null);
      });
    },
    kill: () => void child.kill(),
    get pid() {
      return child.pid;
    },
  };
}
