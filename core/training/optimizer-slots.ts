import type { Tensor } from '@tensorflow/tfjs-core';
import type { Optimizer } from './optimizers.js';

/** "exp_avg.layer1.0.conv1.weight" -> ["exp_avg", "layer1.0.conv1.weight"]: slot names hold no dot. */
export function splitSlotKey(key: string): [string, string] {
  const dot = key.indexOf('.');
  if (dot <= 0) throw new Error(`optimizer slot key without a slot name: "${key}"`);
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** The optimizer's slots grouped as checkpoints store them: slot -> parameter -> tensor. */
export function optimizerSlotGroups(optimizer: Optimizer): Map<string, Map<string, Tensor>> {
  return groupSlots(optimizer.slots());
}

/** Values keyed "<slot>.<parameter>" (as Optimizer.slots() names them) grouped slot -> parameter. */
export function groupSlots<T>(slots: ReadonlyMap<string, T>): Map<string, Map<string, T>> {
  const groups = new Map<string, Map<string, T>>();
  for (const [key, v] of slots) {
    const [slot, name] = splitSlotKey(key);
    if (!groups.has(slot)) groups.set(slot, new Map());
    groups.get(slot)!.set(name, v);
  }
  return groups;
}
