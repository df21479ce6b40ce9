/** Helpers for tests that compute the same thing on the cpu and wasm backends and compare. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../../core/util/rng.js';
import { initBackend } from '../../core/backend/select.js';

export async function startWasmAndCpu(): Promise<void> {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  // The cpu backend registers itself on import; this starts it so switching is instant.
  await tf.setBackend('cpu');
}

/** Runs `f` on one backend and copies its outputs out, so they outlive the backend switch. */
export function onBackend(name: 'cpu' | 'wasm', f: () => tf.Tensor[]): Float32Array[] {
  tf.setBackend(name);
  return tf.tidy(f).map((t) => t.dataSync() as Float32Array);
}

export function randomValues(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

/** max |a - b| divided by the magnitude of the reference `a` (at least 1). */
export function relativeMaxDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let magnitude = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    magnitude = Math.max(magnitude, Math.abs(a[i]));
  }
  return diff / magnitude;
}
