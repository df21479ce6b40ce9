import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { Rng } from '../../core/util/rng.js';
import { fusedBatchNormGradConfig } from '../../core/backend/wasm-kernels/fused-batch-norm-grad.js';
import { onBackend, randomValues, relativeMaxDiff, startWasmAndCpu } from './two-backends.js';

// tfjs-layers registered tfjs' own gradient on import; initBackend has not replaced it yet.
const stockGradient = tf.getGradient('FusedBatchNorm');

const SHAPE: [number, number, number, number] = [3, 5, 4, 6];
const rng = new Rng(11);
const X = randomValues(rng, SHAPE.reduce((a, b) => a * b), 2);
const DY = randomValues(rng, X.length);
const SCALE = randomValues(rng, SHAPE[3]);
const OFFSET = randomValues(rng, SHAPE[3]);

/** Gradients w.r.t. x, scale and offset of sum(batchNorm(x) * dy), batch statistics included. */
function batchNormGradients(keepDims: boolean): tf.Tensor[] {
  const dy = tf.tensor4d(DY, SHAPE);
  const f = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2], keepDims);
    // tfjs wants offset and scale of the same rank as mean.
    const perChannel = (t: tf.Tensor) => (keepDims ? tf.reshape(t, [1, 1, 1, SHAPE[3]]) : t);
    return tf.sum(tf.mul(tf.batchNorm(x as tf.Tensor4D, mean, variance, perChannel(offset), perChannel(scale), 1e-3), dy));
  };
  return tf.grads(f)([tf.tensor4d(X, SHAPE), tf.tensor1d(SCALE), tf.tensor1d(OFFSET)]);
}

describe('FusedBatchNorm gradient that broadcasts instead of tiling', () => {
  beforeAll(startWasmAndCpu);

  it('is the registered one after initBackend', () => {
    expect(stockGradient).toBeDefined();
    expect(tf.getGradient('FusedBatchNorm')).toBe(fusedBatchNormGradConfig);
  });

  it('gives exactly the stock gradients on cpu', () => {
    try {
      tf.registerGradient(stockGradient!);
      const stock = onBackend('cpu', () => batchNormGradients(false));
      tf.registerGradient(fusedBatchNormGradConfig);
      const ours = onBackend('cpu', () => batchNormGradients(false));
      ours.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(stock[i])));
    } finally {
      tf.registerGradient(fusedBatchNormGradConfig);
    }
  });

  it('also handles batch statistics kept at rank 4, where the stock gradient throws', () => {
    try {
      tf.registerGradient(stockGradient!);
      expect(() => onBackend('cpu', () => batchNormGradients(true))).toThrow();
    } finally {
      tf.registerGradient(fusedBatchNormGradConfig);
    }
    const rank1 = onBackend('cpu', () => batchNormGradients(false));
    const rank4 = onBackend('cpu', () => batchNormGradients(true));
    rank4.forEach((g, i) => expect(relativeMaxDiff(rank1[i], g)).toBeLessThanOrEqual(1e-5));
  });

  it('matches the cpu backend on wasm for x, scale and offset', () => {
    const cpu = onBackend('cpu', () => batchNormGradients(false));
    const wasm = onBackend('wasm', () => batchNormGradients(false));
    expect(cpu).toHaveLength(3);
    cpu.forEach((g, i) => expect(relativeMaxDiff(g, wasm[i])).toBeLessThanOrEqual(1e-4));
  });

  it('runs no Tile kernel', async () => {
    tf.setBackend('wasm');
    const profile = await tf.profile(() => batchNormGradients(false));
    expect(profile.kernelNames).toContain('FusedBatchNorm');
    expect(profile.kernelNames).not.toContain('Tile');
  });
});
