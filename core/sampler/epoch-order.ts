/** The order samples are visited in, a function of (seed, epoch) only so a resumed run repeats it. */
import { Rng } from '../util/rng.js';

export function epochOrder(n: number, seed: number, epoch: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  return new Rng(seed).fork('order').fork(epoch).shuffle(Array.from({ length: n }, (_, i) => i));
}

/** Consecutive slices of `order`; the short last one is kept unless dropLast. */
export function batchesOf(order: number[], batchSize: number, dropLast: boolean): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) {
    const batch = order.slice(i, i + batchSize);
    if (batch.length === batchSize || !dropLast) batches.push(batch);
  }
  return batches;
}
