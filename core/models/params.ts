import { util, variable, type Variable } from '@tensorflow/tfjs-core';

/**
 * A model's parameters and buffers, keyed by torchvision's names ("conv1.weight",
 * "bn1.running_mean", "layer1.0.conv1.weight", "fc.weight"), so checkpoints travel to PyTorch
 * without a mapping table. Other blocks use their own prefixes ("input.s2.conv.weight",
 * "head.0.weight").
 *
 * Layouts are TensorFlow.js's, not PyTorch's: conv kernels HWIO [kh, kw, in, out], dense kernels
 * [in, out]. Export transposes to OIHW / [out, in]. BatchNorm buffers (running_mean, running_var)
 * are non-trainable variables; num_batches_tracked is not kept (torchvision only needs it when
 * BatchNorm momentum is None).
 */
export type ParamStore = Map<string, Variable>;

/** Which tfjs layout a parameter has, from its name and rank; export uses it to transpose. */
export type ParamKind = 'conv' | 'dense' | 'vector';

export function paramKind(name: string, rank: number): ParamKind {
  if (rank === 4) return 'conv';
  if (rank === 2) return 'dense';
  if (rank === 1) return 'vector';
  throw new Error(`parameter ${name}: unexpected rank ${rank}`);
}

/** BatchNorm running statistics: state carried between steps, never trained. */
export function isBuffer(name: string): boolean {
  return name.endsWith('.running_mean') || name.endsWith('.running_var');
}

/** Number of values in the named entries (default: all parameters, buffers excluded). */
export function countParams(store: ParamStore, names: Iterable<string> = parameterNames(store)): number {
  let total = 0;
  for (const name of names) total += requireParam(store, name).size;
  return total;
}

/** The learnable entries (weights, biases), buffers excluded, in the store's order. */
export function parameterNames(store: ParamStore): string[] {
  return [...store.keys()].filter((name) => !isBuffer(name));
}

export function requireParam(store: ParamStore, name: string): Variable {
  const v = store.get(name);
  if (!v) throw new Error(`missing parameter ${name}`);
  return v;
}

/** Independent copies of every variable, keeping each one's trainable flag. */
export function cloneParams(store: ParamStore): ParamStore {
  const copy: ParamStore = new Map();
  for (const [name, v] of store) copy.set(name, variable(v, v.trainable));
  return copy;
}

/** Overwrites the named entries of `target` with the values in `source` (shapes must agree). */
export function copyParams(target: ParamStore, source: ParamStore, names: Iterable<string> = target.keys()): void {
  for (const name of names) {
    const to = requireParam(target, name);
    const from = source.get(name);
    if (!from) throw new Error(`cannot copy parameter ${name}: the source has no such entry`);
    if (!util.arraysEqual(to.shape, from.shape)) {
      throw new Error(`cannot copy parameter ${name}: shape [${from.shape}] does not fit [${to.shape}]`);
    }
    to.assign(from);
  }
}

export function disposeParams(store: ParamStore): void {
  for (const v of store.values()) v.dispose();
  store.clear();
}
