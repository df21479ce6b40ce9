import { MOCO_DIM } from '../../models/heads.js';
import type { PairBatch } from '../../sampler/pairs.js';
import type { MocoHyper, MocoStepResult } from '../moco.js';
import type { MocoState } from './moco-state.js';
import type { MocoTrainer } from './moco-trainer.js';
import { ReplicaHandle } from './replica-handle.js';
import type { ShareResult } from './replica.js';
import { gatherKeys, hostShares, rowRanges, shareRows, viewRows } from './shares.js';
import { weightedSum } from './weighted-sum.js';

export interface ParallelMocoOptions {
  /** Replica worker threads (each runs one single-threaded wasm backend). */
  workers: number;
  /** How long dispose waits for each thread to stop (default 5 s). */
  stopTimeoutMs?: number;
}

/** Where one step's time went, in milliseconds. */
export interface ParallelStepTimings {
  /** Main thread: reading the views and splitting them into shares. */
  split: number;
  /** Slowest worker's key forward pass, and its query forward and backward pass. */
  keyForward: number;
  queryForwardBackward: number;
  /** Slowest worker's slice of the gradient average (each worker averages one slice). */
  reduce: number;
  /** Main thread: combining losses, BatchNorm statistics and keys. */
  combine: number;
  /** Slowest worker's SGD update, momentum update, statistics and enqueue. */
  apply: number;
  total: number;
}

export interface ParallelStepResult extends MocoStepResult {
  timings: ParallelStepTimings;
}

/**
 * Moco's training step, data parallel over worker threads, as multi-GPU MoCo does it: each
 * replica computes keys (with its own BatchNorm batch statistics) and query gradients on a
 * contiguous share of every view, against the same queue; the gradients are averaged weighted
 * by rows, and every replica applies the same update, key momentum update, averaged BatchNorm
 * running statistics and all keys in the batch's row order, so the replicas stay identical.
 * With one worker a step is exactly Moco.trainStep.
 */
export class ParallelMoco implements MocoTrainer {
  private failure?: Error;
  private busy = false;

  private constructor(
    readonly hyper: MocoHyper,
    readonly replicas: readonly ReplicaHandle[],
    private readonly gradLength: number,
    private readonly stopTimeoutMs: number,
  ) {}

  /** Starts the workers; each builds Moco(hyper, seed), so all start from identical weights. */
  static async create(hyper: MocoHyper, seed: number, opts: ParallelMocoOptions): Promise<ParallelMoco> {
    const { workers } = opts;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    const stopTimeoutMs = opts.stopTimeoutMs ?? 5000;
    const replicas = Array.from({ length: workers }, (_, i) => new ReplicaHandle(i, { hyper, seed }));
    try {
      const [gradLength] = await Promise.all(replicas.map((r) => r.ready));
      const bytes = gradLength * Float32Array.BYTES_PER_ELEMENT;
      const mean = new SharedArrayBuffer(bytes);
      const slots = replicas.map(() => new SharedArrayBuffer(bytes));
      await Promise.all(replicas.map((r, own) => r.request({ kind: 'buffers', slots, own, mean }, 'done')));
      return new ParallelMoco(hyper, replicas, gradLength, stopTimeoutMs);
    } catch (err) {
      await Promise.all(replicas.map((r) => r.terminate(stopTimeoutMs)));
      throw err;
    }
  }

  get workers(): number {
    return this.replicas.length;
  }

  /**
   * One MoCo step over the workers. Any failure (a worker that died, an error inside one) leaves
   * the replicas possibly out of step, so this and every later step reject: restart from the
   * last checkpoint.
   */
  async trainStep(pairs: PairBatch, lr: number): Promise<ParallelStepResult> {
    this.enter();
    try {
      return await this.step(pairs, lr);
    } catch (err) {
      this.failure ??= err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /** The state of one replica (all are identical after a completed step), for checkpoints. */
  async state(replica = 0): Promise<MocoState> {
    this.enter();
    try {
      const handle = this.replicas[replica];
      if (!handle) throw new RangeError(`no replica ${replica}: there are ${this.workers}`);
      return (await handle.request({ kind: 'read-state' }, 'state')).state;
    } finally {
      this.busy = false;
    }
  }

  /** Loads a saved state into every replica; `source` (the checkpoint) is named in errors. */
  async restore(state: MocoState, source: string): Promise<void> {
    this.enter();
    try {
      await Promise.all(this.replicas.map((r) => r.request({ kind: 'restore', state, source }, 'done')));
    } catch (err) {
      // Some replicas may hold the new state and others not.
      this.failure ??= err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /** Stops every worker, waiting at most the stop timeout; a step in flight rejects. */
  async dispose(): Promise<void> {
    this.failure ??= new Error('ParallelMoco was disposed');
    await Promise.all(this.replicas.map((r) => r.terminate(this.stopTimeoutMs)));
  }

  private enter(): void {
    // A dead worker is the more useful thing to name than an earlier failed step.
    const failure = this.replicas.find((r) => r.failure)?.failure ?? this.failure;
    if (failure) throw failure;
    if (this.busy) throw new Error('ParallelMoco: one call at a time (the previous one has not finished)');
    this.busy = true;
  }

  private async step(pairs: PairBatch, lr: number): Promise<ParallelStepResult> {
    const t0 = performance.now();
    const rows = viewRows(pairs);
    const shares = await hostShares(pairs, this.workers);
    const t1 = performance.now();
    const results = await Promise.all(
      this.replicas.map(async (r, i) => {
        const share = shares[i];
        const buffers = [...share.q, ...share.k].map((v) => v.values.buffer as ArrayBuffer);
        const { result } = await r.request({ kind: 'compute', share }, 'computed', buffers);
        return { ...result, expectedRows: shareRows(share) };
      }),
    );
    const total = rows.reduce((a, b) => a + b, 0);
    const weights = results.map((r, i) => {
      if (r.rows !== r.expectedRows) throw new Error(`${this.replicas[i].name} returned ${r.rows} keys for ${r.expectedRows} rows`);
      return r.rows / total;
    });
    const reduced = await Promise.all(
      rowRanges(this.gradLength, this.workers).map(
        async ({ start, count }, i) => (await this.replicas[i].request({ kind: 'reduce', start, end: start + count, weights }, 'reduced')).ms,
      ),
    );
    const t3 = performance.now();
    const stats = weightedSum(
      results.map((r) => r.stats),
      weights,
      new Float32Array(results[0].stats.length),
    );
    const keys = gatherKeys(
      results.map((r) => r.keys),
      rows,
      MOCO_DIM,
    );
    const loss = results.reduce((s, r, i) => s + weights[i] * r.loss, 0);
    const t4 = performance.now();
    const applied = await Promise.all(
      this.replicas.map(async (r) => (await r.request({ kind: 'apply', lr, stats, keys }, 'applied')).ms),
    );
    const t5 = performance.now();
    const slowest = (f: (r: ShareResult) => number) => Math.max(...results.map(f));
    return {
      loss,
      timings: {
        split: t1 - t0,
        keyForward: slowest((r) => r.keyForwardMs),
        queryForwardBackward: slowest((r) => r.queryForwardBackwardMs),
        reduce: Math.max(...reduced),
        combine: t4 - t3,
        apply: Math.max(...applied),
        total: t5 - t0,
      },
    };
  }
}
