import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../backend/select.js';
import { serializeError } from '../../util/serialized-error.js';
import type { ReplicaReady, ReplicaReply, ReplicaRequest, ReplicaWorkerData } from './messages.js';
import { readMocoState, restoreMocoState } from './moco-state.js';
import { Replica } from './replica.js';
import { weightedSum } from './weighted-sum.js';

/** A ParallelMoco worker: one replica, requests answered one at a time in arrival order. */

const port = parentPort;
if (!port) throw new Error('replica-worker must run as a worker thread');

async function start(): Promise<Replica> {
  const { hyper, seed } = workerData as ReplicaWorkerData;
  // wasm runs one thread in Node: each worker is one more core at work.
  await initBackend({ purpose: 'train' });
  return new Replica(hyper, seed);
}

let buffers: { slots: Float32Array[]; own: number; mean: Float32Array } | undefined;

function shared(): NonNullable<typeof buffers> {
  if (!buffers) throw new Error('no gradient buffers: "buffers" must come first');
  return buffers;
}

async function handle(replica: Replica, req: ReplicaRequest): Promise<void> {
  let reply: ReplicaReply;
  let transfer: ArrayBuffer[] = [];
  try {
    switch (req.kind) {
      case 'buffers':
        buffers = { slots: req.slots.map((b) => new Float32Array(b)), own: req.own, mean: new Float32Array(req.mean) };
        reply = { id: req.id, ok: true, kind: 'done' };
        break;
      case 'compute': {
        const { slots, own } = shared();
        const result = replica.computeShare(req.share, slots[own]);
        transfer = [result.keys.buffer as ArrayBuffer, result.stats.buffer as ArrayBuffer];
        reply = { id: req.id, ok: true, kind: 'computed', result };
        break;
      }
      case 'reduce': {
        const { slots, mean } = shared();
        const t0 = performance.now();
        const { start, end } = req;
        weightedSum(
          slots.map((s) => s.subarray(start, end)),
          req.weights,
          mean.subarray(start, end),
        );
        reply = { id: req.id, ok: true, kind: 'reduced', ms: performance.now() - t0 };
        break;
      }
      case 'apply': {
        const t0 = performance.now();
        replica.applyUpdate(shared().mean, req.stats, req.keys, req.lr);
        reply = { id: req.id, ok: true, kind: 'applied', ms: performance.now() - t0 };
        break;
      }
      case 'read-state':
        reply = { id: req.id, ok: true, kind: 'state', state: await readMocoState(replica.moco) };
        break;
      case 'restore':
        restoreMocoState(replica.moco, req.state, req.source);
        reply = { id: req.id, ok: true, kind: 'done' };
        break;
    }
  } catch (err) {
    reply = { id: req.id, ok: false, error: serializeError(err) };
  }
  port!.postMessage(reply, transfer);
}

start().then(
  (replica) => {
    let queue = Promise.resolve();
    port.on('message', (req: ReplicaRequest) => {
      queue = queue.then(() => handle(replica, req));
    });
    port.postMessage({ kind: 'ready', gradLength: replica.gradLength } satisfies ReplicaReady);
  },
  (err: unknown) => port.postMessage({ kind: 'failed', error: serializeError(err) } satisfies ReplicaReady),
);
