import type { SerializedError } from '../../util/serialized-error.js';
import type { MocoHyper } from '../moco.js';
import type { MocoState } from './moco-state.js';
import type { ShareResult } from './replica.js';
import type { HostPairs } from './shares.js';

/** What ParallelMoco and its replica workers say to each other. */

export interface ReplicaWorkerData {
  hyper: MocoHyper;
  seed: number;
}

export type ReplicaRequest =
  /**
   * Shared gradient buffers: one per worker (this worker writes `slots[own]`) and `mean`, the
   * combined gradients every worker reads.
   */
  | { id: number; kind: 'buffers'; slots: SharedArrayBuffer[]; own: number; mean: SharedArrayBuffer }
  | { id: number; kind: 'compute'; share: HostPairs }
  /** Combine values [start, end) of every worker's gradients into `mean`: each worker does a slice. */
  | { id: number; kind: 'reduce'; start: number; end: number; weights: number[] }
  /** `mean` holds the combined gradients by now. */
  | { id: number; kind: 'apply'; lr: number; stats: Float32Array; keys: Float32Array }
  | { id: number; kind: 'read-state' }
  | { id: number; kind: 'restore'; state: MocoState; source: string };

export type ReplicaReply =
  | { id: number; ok: true; kind: 'done' }
  | { id: number; ok: true; kind: 'computed'; result: ShareResult }
  | { id: number; ok: true; kind: 'reduced'; ms: number }
  | { id: number; ok: true; kind: 'applied'; ms: number }
  | { id: number; ok: true; kind: 'state'; state: MocoState }
  | { id: number; ok: false; error: SerializedError };

/** Sent once the replica is built: how many gradient values the shared buffers hold. */
export type ReplicaReady = { kind: 'ready'; gradLength: number } | { kind: 'failed'; error: SerializedError };
