import type { Worker } from 'node:worker_threads';
import { deserializeError } from '../../util/serialized-error.js';
import { siblingModule, startWorker } from '../../util/worker-url.js';
import type { ReplicaReady, ReplicaReply, ReplicaRequest, ReplicaWorkerData } from './messages.js';

/** Omit over each member of a union, so each request kind keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<ReplicaRequest>;
type Reply = Exclude<ReplicaReply, { ok: false }>;

/**
 * The main thread's end of one replica worker: numbered requests, and a watch on the thread. If
 * the worker dies, what it was asked fails with an error naming it, and so does every later
 * request.
 */
export class ReplicaHandle {
  /** The thread itself (tests stop it to play a crash). */
  readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  private nextId = 1;
  private crash?: Error;
  private death?: Error;
  private stopping = false;
  /** Resolves with the number of gradient values once the replica is built. */
  readonly ready: Promise<number>;

  constructor(
    readonly index: number,
    data: ReplicaWorkerData,
    workerModule: URL = siblingModule(import.meta.url, 'replica-worker'),
  ) {
    this.worker = startWorker(workerModule, { workerData: data });
    this.worker.on('error', (err) => {
      this.crash = err;
    });
    this.worker.on('exit', (code) => this.died(code));
    this.ready = new Promise((resolve, reject) => {
      const onReady = (msg: ReplicaReady) => {
        if (msg.kind === 'ready') resolve(msg.gradLength);
        else reject(new Error(`${this.name} could not start: ${deserializeError(msg.error).message}`));
        this.worker.off('exit', onExit);
        this.worker.on('message', (m: ReplicaReply) => this.answer(m));
      };
      const onExit = () => reject(this.death!);
      this.worker.once('message', onReady);
      this.worker.once('exit', onExit);
    });
    // A failed start is reported through `ready`; this keeps it from also counting as unhandled.
    this.ready.catch(() => undefined);
  }

  get name(): string {
    return `MoCo replica worker ${this.index}`;
  }

  /** Why the worker is gone, or undefined while it runs. */
  get failure(): Error | undefined {
    return this.death;
  }

  /** Sends a request; resolves with the reply of the expected kind, rejects naming this worker. */
  async request<K extends Reply['kind']>(req: Request, expect: K, transfer: ArrayBuffer[] = []): Promise<Extract<Reply, { kind: K }>> {
    if (this.death) throw this.death;
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
    if (reply.kind !== expect) throw new Error(`${this.name} answered "${reply.kind}" to "${req.kind}"`);
    return reply as Extract<Reply, { kind: K }>;
  }

  /** Stops the thread; waits for it at most `timeoutMs`. */
  async terminate(timeoutMs: number): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.worker.terminate().then(() => undefined), timeout]);
    clearTimeout(timer);
    // A thread that ignored terminate in time must not keep the process alive.
    this.worker.unref();
  }

  private answer(msg: ReplicaReply): void {
    const job = this.pending.get(msg.id);
    if (!job) return;
    this.pending.delete(msg.id);
    if (msg.ok) job.resolve(msg);
    else job.reject(new Error(`${this.name}: ${deserializeError(msg.error).message}`));
  }

  private died(code: number): void {
    const why = this.stopping ? 'was stopped' : this.crash ? `crashed: ${this.crash.message}` : `exited unexpectedly (exit code ${code})`;
    this.death = new Error(`${this.name} ${why}`);
    for (const job of this.pending.values()) job.reject(this.death);
    this.pending.clear();
  }
}
