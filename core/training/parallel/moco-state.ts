import * as tf from '@tensorflow/tfjs-core';
import { readTensor, readTensors, type HostTensor } from '../../formats/host-tensor.js';
import { restoreParams } from '../../weights/restore-params.js';
import type { Moco } from '../moco.js';

/**
 * Everything a MoCo run needs to continue exactly, as host arrays: they cross worker-thread
 * boundaries by structured clone, and a checkpoint stores them as they are.
 */
export interface MocoState {
  /** Query encoder parameters and BatchNorm buffers, by ParamStore name. */
  query: Map<string, HostTensor>;
  key: Map<string, HostTensor>;
  /** Optimizer slots by "<slot>.<parameter name>", as Optimizer.slots() names them. */
  slots: Map<string, HostTensor>;
  stepCount: number;
  queue: HostTensor;
  queuePointer: number;
}

export async function readMocoState(moco: Moco): Promise<MocoState> {
  return {
    query: await readTensors(moco.query.params),
    key: await readTensors(moco.key.params),
    slots: await readTensors(moco.optimizer.slots()),
    stepCount: moco.optimizer.stepCount(),
    queue: await readTensor(moco.queue.keys),
    queuePointer: moco.queue.pointer(),
  };
}

/** Overwrites every part of `moco` with `state`; names and shapes must match (`source` is named in errors). */
export function restoreMocoState(moco: Moco, state: MocoState, source: string): void {
  restoreParams(moco.query.params, state.query, source);
  restoreParams(moco.key.params, state.key, source);
  const slots = new Map([...state.slots].map(([name, v]) => [name, tf.tensor(v.values, v.shape, v.dtype)]));
  const queue = tf.tensor(state.queue.values, state.queue.shape, state.queue.dtype);
  try {
    const unexpected = [...slots.keys()].filter((name) => !moco.optimizer.slots().has(name));
    if (unexpected.length > 0) throw new Error(`${source}: optimizer slots the model does not have: ${unexpected.join(', ')}`);
    moco.optimizer.loadSlots(slots, state.stepCount);
    moco.queue.restore(queue, state.queuePointer);
  } finally {
    tf.dispose([...slots.values(), queue]);
  }
}
