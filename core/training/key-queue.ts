import * as tf from '@tensorflow/tfjs-core';

/**
 * MoCo's queue of negative keys: a ring of `size` unit vectors, oldest overwritten first. The
 * pointer is part of the saved state so a resumed run overwrites the same rows.
 */
export class KeyQueue {
  readonly keys: tf.Variable;
  private ptr = 0;

  constructor(
    readonly size: number,
    readonly dim: number,
    init: Float32Array,
  ) {
    if (init.length !== size * dim) throw new Error(`queue init has ${init.length} values, expected ${size * dim}`);
    this.keys = tf.tidy(() => tf.variable(tf.tensor2d(init, [size, dim]), false));
  }

  pointer(): number {
    return this.ptr;
  }

  /** Writes `k` ([n, dim]) at the pointer, wrapping around the end. */
  enqueue(k: tf.Tensor2D): void {
    const n = k.shape[0];
    if (n > this.size) throw new Error(`cannot enqueue ${n} keys into a queue of ${this.size}`);
    tf.tidy(() => {
      const first = Math.min(n, this.size - this.ptr);
      const parts: tf.Tensor[] = [];
      const rest = n - first;
      if (rest > 0) parts.push(tf.slice(k, [first, 0], [rest, this.dim]));
      const keepFrom = rest;
      const keepTo = this.ptr;
      if (keepTo > keepFrom) parts.push(tf.slice(this.keys, [keepFrom, 0], [keepTo - keepFrom, this.dim]));
      parts.push(tf.slice(k, [0, 0], [first, this.dim]));
      const tailStart = this.ptr + first;
      if (tailStart < this.size) parts.push(tf.slice(this.keys, [tailStart, 0], [this.size - tailStart, this.dim]));
      this.keys.assign(tf.concat(parts, 0) as tf.Tensor2D);
    });
    this.ptr = (this.ptr + n) % this.size;
  }

  restore(values: tf.Tensor, pointer: number): void {
    if (!tf.util.arraysEqual(values.shape, [this.size, this.dim]))
      throw new Error(`saved queue has shape [${values.shape}], expected [${this.size},${this.dim}]`);
    if (!Number.isInteger(pointer) || pointer < 0 || pointer >= this.size) throw new Error(`saved queue pointer ${pointer} out of range`);
    this.keys.assign(values);
    this.ptr = pointer;
  }

  dispose(): void {
    this.keys.dispose();
  }
}
