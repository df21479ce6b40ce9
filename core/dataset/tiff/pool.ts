import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { deserializeError } from '../../util/serialized-error.js';
import { siblingModule, startWorker } from '../../util/worker-url.js';
import type { TripletPaths, TripletSummary } from '../triplet-summary.js';
import type { PoolRequest, PoolResponse } from './pool-messages.js';
import type { Raster, RasterHeader, ReadOptions } from './types.js';
import type { Sensor } from '../../common/dataset/names.js';

export interface DecodePoolOptions {
  /** Number of worker threads; default os.availableParallelism(). */
  size?: number;
  /** Worker module to run instead of decode-worker (it must speak pool-messages). */
  workerModule?: URL;
}

/** A request before the pool numbers it: the message shapes of pool-messages.ts, less `id`. */
type Request = PoolRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

type Answer = RasterHeader | Raster | TripletSummary;

/** The file a request is about, for messages; a triplet is named by its S2 file. */
const fileOf = (request: Request): string => (request.kind === 'triplet' ? request.paths.s2 : request.path);

interface Job {
  request: Request;
  resolve(value: Answer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** Sent and unanswered, in the order the worker runs them. */
  inFlight: Map<number, Job>;
  crash?: Error;
}

/**
 * Requests a worker holds at once. More than one hides the message round trip behind the
 * current job (headers take ~60 us, about as long as the round trip).
 */
const MAX_IN_FLIGHT = 4;

/**
 * Decodes GeoTIFFs in worker threads. Pixel buffers are transferred, not copied. Requests
 * queue when every worker is busy; a worker that dies fails only the request it was running,
 * the others it held are re-queued and a new worker takes its place.
 */
export class DecodePool {
  private readonly size: number;
  private readonly workerModule: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: DecodePoolOptions = {}) {
    const size = opts.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`DecodePool size must be a positive integer, got ${size}`);
    this.size = size;
    this.workerModule = opts.workerModule ?? siblingModule(import.meta.url, 'decode-worker');
  }

  readHeader(path: string): Promise<RasterHeader> {
    return this.submit({ kind: 'header', path }) as Promise<RasterHeader>;
  }

  readRaster(path: string, opts?: ReadOptions): Promise<Raster> {
    return this.submit({ kind: 'raster', path, opts }) as Promise<Raster>;
  }

  /** A SEN12MS patch: its header checked as `sensor`'s (DatasetFileError otherwise), then decoded, in one read. */
  readPatch(sensor: Sensor, path: string, opts?: ReadOptions): Promise<Raster> {
    return this.submit({ kind: 'raster', path, opts, sensor }) as Promise<Raster>;
  }

  /**
   * Everything the catalog indexer reads of one patch, in one round trip: see summarizeTriplet.
   * Problems with a file come back in its slot; the promise rejects only when the worker dies.
   */
  readTriplet(paths: TripletPaths): Promise<TripletSummary> {
    return this.submit({ kind: 'triplet', paths }) as Promise<TripletSummary>;
  }

  /** Starts every worker now instead of at the first requests, so their start-up overlaps the caller's own work. */
  start(): void {
    while (!this.closed && this.slots.length < this.size) this.startSlot();
  }

  /** Stops the workers; requests still queued or running are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = () => new Error('DecodePool closed before the request finished');
    for (const job of this.queue.splice(0)) job.reject(closedError());
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const job of slot.inFlight.values()) job.reject(closedError());
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private submit(request: Request): Promise<Answer> {
    if (this.closed) return Promise.reject(new Error('DecodePool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      if (slot.inFlight.size === 0) slot.worker.ref();
      slot.inFlight.set(id, job);
      slot.worker.postMessage({ id, ...job.request } satisfies PoolRequest);
    }
  }

  /** An idle worker, else a new one while below size, else the least busy with room. */
  private freeSlot(): Slot | undefined {
    const idle = this.slots.find((s) => s.inFlight.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.startSlot();
    let best: Slot | undefined;
    for (const s of this.slots) if (s.inFlight.size < MAX_IN_FLIGHT && (!best || s.inFlight.size < best.inFlight.size)) best = s;
    return best;
  }

  private startSlot(): Slot {
    // geotiff.js loads the `web-worker` package, which reads workerData in any worker thread
    // and throws at import when it is not an object.
    const slot: Slot = { worker: startWorker(this.workerModule, { workerData: {} }), inFlight: new Map() };
    slot.worker.on('message', (msg: PoolResponse) => this.answer(slot, msg));
    slot.worker.on('error', (err) => {
      slot.crash = err;
    });
    slot.worker.on('exit', (code) => this.replace(slot, code));
    // Idle until dispatch gives it work (and refs it).
    slot.worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private answer(slot: Slot, msg: PoolResponse): void {
    const job = slot.inFlight.get(msg.id);
    if (!job) return;
    slot.inFlight.delete(msg.id);
    // An idle worker must not keep the process alive.
    if (slot.inFlight.size === 0) slot.worker.unref();
    if (!msg.ok) job.reject(deserializeError(msg.error));
    else job.resolve('header' in msg ? msg.header : 'raster' in msg ? msg.raster : msg.triplet);
    this.dispatch();
  }

  private replace(slot: Slot, code: number): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    const [running, ...waiting] = slot.inFlight.values();
    if (running) {
      const why = slot.crash ? slot.crash.message : `exit code ${code}`;
      running.reject(new Error(`decode worker died (${why}) while reading ${fileOf(running.request)}`));
    }
    this.queue.unshift(...waiting);
    this.dispatch();
  }
}
