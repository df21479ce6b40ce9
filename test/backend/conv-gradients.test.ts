import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/util/rng.js';
import { convLabel, type ConvCase } from './conv-cases.js';
import { conv2DBackpropFilterConfig } from '../../core/backend/wasm-kernels/conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from '../../core/backend/wasm-kernels/conv2d-backprop-input.js';
import { unregisterNativeKernels } from '../../core/backend/native-kernels/register.js';
import { onBackend, randomValues, relativeMaxDiff, startWasmAndCpu } from './two-backends.js';


const CASES: ConvCase[] = [
  { batch: 2, height: 7, width: 8, inC: 3, outC: 4, k: 1, stride: 1, pad: 'same' },
  { batch: 2, height: 8, width: 8, inC: 3, outC: 5, k: 1, stride: 2, pad: 'valid' },
  { batch: 2, height: 9, width: 7, inC: 2, outC: 3, k: 1, stride: 2, pad: 'same' },
  { batch: 2, height: 8, width: 9, inC: 3, outC: 4, k: 3, stride: 1, pad: 'same' },
  { batch: 2, height: 7, width: 7, inC: 2, outC: 3, k: 3, stride: 1, pad: 'valid' },
  { batch: 2, height: 8, width: 8, inC: 3, outC: 4, k: 3, stride: 2, pad: 'same' },
  { batch: 3, height: 9, width: 9, inC: 2, outC: 3, k: 3, stride: 2, pad: 'same' },
  // The last row and column are never read by the forward pass.
  { batch: 2, height: 8, width: 8, inC: 2, outC: 3, k: 3, stride: 2, pad: 'valid' },
  { batch: 2, height: 16, width: 16, inC: 3, outC: 4, k: 7, stride: 2, pad: 'same' },
  { batch: 2, height: 15, width: 13, inC: 2, outC: 3, k: 7, stride: 2, pad: 'same' },
  { batch: 2, height: 8, width: 8, inC: 2, outC: 3, k: 3, stride: 2, pad: 1 },
  { batch: 2, height: 6, width: 7, inC: 2, outC: 3, k: 3, stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  // Left padding wider than the filter: the input gradient has to crop instead of pad.
  { batch: 2, height: 6, width: 6, inC: 2, outC: 2, k: 3, stride: 1, pad: [[0, 0], [0, 1], [3, 0], [0, 0]] },
];

/** d/dx and d/dw of sum(conv2d(x, w) * dy), which is what backprop hands the two kernels. */
function convGradients(c: ConvCase, x: Float32Array, w: Float32Array, dySeed: number): tf.Tensor[] {
  const xT = tf.tensor4d(x, [c.batch, c.height, c.width, c.inC]);
  const wT = tf.tensor4d(w, [c.k, c.k, c.inC, c.outC]);
  const yShape = tf.conv2d(xT, wT, c.stride, c.pad).shape;
  const dy = tf.tensor4d(randomValues(new Rng(dySeed), yShape.reduce((a, b) => a * b)), yShape);
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dy));
  return tf.grads(f)([xT, wT]);
}

describe('wasm convolution gradients match the cpu backend', () => {
  beforeAll(async () => {
    await startWasmAndCpu();
    // The native kernels replace these where the addon is built (test/backend/native-kernels.test.ts).
    unregisterNativeKernels();
  });

  it('runs the kernels of core/backend/wasm-kernels, not the stock ones', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputConfig.kernelFunc);
  });

  it.each(CASES.map((c, i) => [convLabel(c), c, i] as const))('%s', (_name, c, i) => {
    const rng = new Rng(100 + i);
    const x = randomValues(rng, c.batch * c.height * c.width * c.inC);
    const w = randomValues(rng, c.k * c.k * c.inC * c.outC, 0.5);
    const [cpuDx, cpuDw] = onBackend('cpu', () => convGradients(c, x, w, 7 + i));
    const [wasmDx, wasmDw] = onBackend('wasm', () => convGradients(c, x, w, 7 + i));
    expect(relativeMaxDiff(cpuDx, wasmDx)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxDiff(cpuDw, wasmDw)).toBeLessThanOrEqual(1e-4);
    // A gradient of zeros would match trivially.
    expect(Math.max(...cpuDw.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('frees every intermediate tensor of the composed kernels', () => {
    tf.setBackend('wasm');
    const x = tf.randomNormal([2, 9, 9, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const backend = tf.engine().backend;
    const both = () =>
      tf.tidy(() => {
        tf.conv2dTranspose(dy, w, [2, 9, 9, 2], 2, 'same').dataSync();
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]);
      });
    both();
    const before = backend.numDataIds();
    for (let i = 0; i < 3; i++) both();
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([x, w, dy]);
  });
});
