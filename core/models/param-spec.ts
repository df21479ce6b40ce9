import { tensor, util, variable } from '@tensorflow/tfjs-core';

import { Rng } from '../util/rng.js';
import { isBuffer, type ParamStore } from './params.js';

/** How a parameter starts out; the distributions PyTorch uses for the same layer. */
export type ParamInit =
  | { dist: 'normal'; std: number }
  | { dist: 'uniform'; bound: number }
  | { dist: 'constant'; value: number };

/** One entry a model needs: its torchvision name, tfjs-layout shape and initialisation. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
}

/**
 * Creates every entry of `specs`. Each one draws from its own stream forked by name, so a value
 * depends only on (seed, name): adding a block elsewhere does not change the others. Buffers are
 * non-trainable variables.
 */
export function createParams(specs: readonly ParamSpec[], seed: number, store: ParamStore = new Map()): ParamStore {
  const root = new Rng(seed);
  for (const spec of specs) {
    if (store.has(spec.name)) throw new Error(`parameter ${spec.name} is defined twice`);
    const values = initialValues(spec, root.fork(spec.name));
    // The variable takes over the initial tensor's data; the tensor handle itself must go.
    const initial = tensor(values, spec.shape, 'float32');
    store.set(spec.name, variable(initial, !isBuffer(spec.name)));
    initial.dispose();
  }
  return store;
}

function initialValues(spec: ParamSpec, rng: Rng): Float32Array {
  const values = new Float32Array(util.sizeFromShape(spec.shape));
  const init = spec.init;
  if (init.dist === 'constant') values.fill(init.value);
  else if (init.dist === 'normal') for (let i = 0; i < values.length; i++) values[i] = init.std * rng.normal();
  else for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-init.bound, init.bound);
  return values;
}

/** Throws naming the first entry that `store` lacks or holds with another shape. */
export function checkParams(store: ParamStore, specs: readonly ParamSpec[]): void {
  for (const spec of specs) {
    const v = store.get(spec.name);
    if (!v) throw new Error(`missing parameter ${spec.name}`);
    if (!util.arraysEqual(v.shape, spec.shape)) {
      throw new Error(`parameter ${spec.name} has shape [${v.shape}], expected [${spec.shape}]`);
    }
  }
}
