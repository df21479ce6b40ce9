/**
 * The worker's end of the channel to the job manager: Electron's utility process hands it
 * `process.parentPort`, a process started with child_process.fork has `process.send`.
 */
import type { WorkerMessage } from './job-messages.js';

export interface WorkerPort {
  send(msg: WorkerMessage): Promise<void>;
  onMessage(cb: (msg: unknown) => void): void;
  /** Ends the worker once what was sent has left. */
  exit(code: number): void;
}

interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

// postMessage has no delivery callback; a moment's grace lets the port pass the last message on.
const PARENT_PORT_EXIT_GRACE_MS = 200;

export function workerPort(): WorkerPort {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: async (msg) => parentPort.postMessage(msg),
      onMessage: (cb) => parentPort.on('message', (e) => cb(e.data)),
      exit: (code) => void setTimeout(() => process.exit(code), PARENT_PORT_EXIT_GRACE_MS),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('job worker: no parent to talk to; start it with forkJobProcess or Electron utilityProcess.fork');
  // A manager that died leaves no one to report to; the run resumes from its last checkpoint.
  process.on('disconnect', () => process.exit(1));
  return {
    send: (msg) => new Promise((resolve, reject) => send(msg, undefined, undefined, (err) => (err ? reject(err) : resolve()))),
    onMessage: (cb) => void process.on('message', cb),
    exit: (code) => process.exit(code),
  };
}
