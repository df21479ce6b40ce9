import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/util/rng.js';
import { convLabel, type ConvCase } from './conv-cases.js';
import { loadNativeKernels, type NativeKernels } from '../../core/backend/native-kernels/addon.js';
import { registerNativeKernels, unregisterNativeKernels } from '../../core/backend/native-kernels/register.js';
import { registerWasmTrainingKernels } from '../../core/backend/wasm-kernels/register.js';
import { BATCH_NORM_TRAIN } from '../../core/backend/native-kernels/batch-norm-train.js';
import { batchNorm, batchNormSpecs, TRAIN } from '../../core/models/batch-norm.js';
import type { ParamStore } from '../../core/models/params.js';
import { Sgd } from '../../core/training/optimizers.js';
import { momentumUpdate } from '../../core/training/momentum-update.js';
import { BLEND, SGD_MOMENTUM } from '../../core/backend/native-kernels/optimizer-kernels.js';
import { onBackend, randomValues, relativeMaxDiff, startWasmAndCpu } from './two-backends.js';

// The addon is part of the product: a missing build must fail here, not skip quietly. Where no
// C++ toolchain exists, SEN12MS_NATIVE_KERNELS=0 says so on purpose.
const switchedOff = process.env.SEN12MS_NATIVE_KERNELS === '0';


// Odd channel counts leave partial micro-kernel tiles; 3x3x40 = 360 is over one 256-deep
// k block; pointwise and strided 1x1 take the no-im2col and im2col paths.
const SMALL: ConvCase[] = [
  { batch: 2, height: 7, width: 8, inC: 3, outC: 4, k: 1, stride: 1, pad: 'same' },
  { batch: 2, height: 8, width: 8, inC: 3, outC: 5, k: 1, stride: 2, pad: 'valid' },
  { batch: 2, height: 8, width: 9, inC: 3, outC: 4, k: 3, stride: 1, pad: 'same' },
  { batch: 3, height: 9, width: 9, inC: 2, outC: 3, k: 3, stride: 2, pad: 'same' },
  { batch: 2, height: 8, width: 8, inC: 2, outC: 3, k: 3, stride: 2, pad: 'valid' },
  { batch: 2, height: 16, width: 16, inC: 3, outC: 4, k: 7, stride: 2, pad: 'same' },
  { batch: 2, height: 15, width: 13, inC: 12, outC: 7, k: 7, stride: 2, pad: 3 },
  { batch: 2, height: 6, width: 7, inC: 2, outC: 3, k: 3, stride: 2, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { batch: 2, height: 6, width: 6, inC: 40, outC: 37, k: 3, stride: 1, pad: 1 },
  { batch: 1, height: 9, width: 9, inC: 3, outC: 2, k: 3, stride: 1, pad: 'same', dilation: 2 },
];

// Larger than one im2col chunk (16 MiB) and long enough in k for the split-k weight gradient.
const LARGE: ConvCase[] = [
  { batch: 5, height: 64, width: 64, inC: 32, outC: 40, k: 3, stride: 1, pad: 1 },
  { batch: 4, height: 32, width: 32, inC: 8, outC: 16, k: 1, stride: 1, pad: 0 },
];

/** y = conv2d(x, w) and d/dx, d/dw of sum(y * dy). */
function convAndGradients(c: ConvCase, x: Float32Array, w: Float32Array, dySeed: number): tf.Tensor[] {
  const xT = tf.tensor4d(x, [c.batch, c.height, c.width, c.inC]);
  const wT = tf.tensor4d(w, [c.k, c.k, c.inC, c.outC]);
  const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation ?? 1);
  const y = conv(xT, wT);
  if (c.dilation) return [y]; // tfjs has no gradient for dilated convolutions
  const dy = tf.tensor4d(randomValues(new Rng(dySeed), y.size), y.shape as [number, number, number, number]);
  return [y, ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dy)))([xT, wT])];
}

function inputs(c: ConvCase, seed: number): { x: Float32Array; w: Float32Array } {
  const rng = new Rng(seed);
  return { x: randomValues(rng, c.batch * c.height * c.width * c.inC), w: randomValues(rng, c.k * c.k * c.inC * c.outC, 0.5) };
}

describe.skipIf(switchedOff)('native kernels (core/backend/native)', () => {
  let native: NativeKernels;
  beforeAll(async () => {
    const status = loadNativeKernels();
    if (!status.ok) throw new Error(`the native kernels are not available: ${status.error}`);
    native = status.kernels;
    await startWasmAndCpu();
  });

  it('replace the wasm convolutions and add the fused BatchNorm, and can be taken back out', () => {
    const info = registerNativeKernels();
    expect(info.loaded).toBe(true);
    expect(['avx512', 'avx2', 'generic']).toContain(info.isa);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    const native = tf.getKernel('Conv2DBackpropFilter', 'wasm')!.kernelFunc;
    expect(tf.getKernel(BATCH_NORM_TRAIN, 'wasm')).toBeDefined();
    unregisterNativeKernels();
    const wasm = tf.getKernel('Conv2DBackpropFilter', 'wasm')!.kernelFunc;
    expect(wasm).not.toBe(native);
    expect(tf.getKernel(BATCH_NORM_TRAIN, 'wasm')).toBeUndefined();
    registerNativeKernels();
    const again = tf.getKernel('Conv2DBackpropFilter', 'wasm')!.kernelFunc;
    expect(again).not.toBe(wasm);
    expect(tf.getKernel(BATCH_NORM_TRAIN, 'wasm')).toBeDefined();
    // Starting the wasm backend again re-registers its own gradient kernels over ours.
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')!.kernelFunc).not.toBe(again);
    registerNativeKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')!.kernelFunc).toBe(again);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).not.toBe(wasm);
  });

  it.each(SMALL.map((c, i) => [convLabel(c), c, i] as const))('conv2d and its gradients match the cpu backend: %s', (_n, c, i) => {
    registerNativeKernels();
    const { x, w } = inputs(c, 200 + i);
    const cpu = onBackend('cpu', () => convAndGradients(c, x, w, 9 + i));
    const ours = onBackend('wasm', () => convAndGradients(c, x, w, 9 + i));
    expect(ours.length).toBe(cpu.length);
    cpu.forEach((ref, j) => {
      expect(relativeMaxDiff(ref, ours[j]!)).toBeLessThanOrEqual(1e-5);
      expect(Math.max(...ref.map(Math.abs))).toBeGreaterThan(0.1); // zeros would match trivially
    });
  });

  it.each(LARGE.map((c, i) => [convLabel(c), c, i] as const))('match the wasm kernels over several chunks and split k: %s', (_n, c, i) => {
    const { x, w } = inputs(c, 300 + i);
    unregisterNativeKernels();
    const wasm = onBackend('wasm', () => convAndGradients(c, x, w, 30 + i));
    registerNativeKernels();
    const ours = onBackend('wasm', () => convAndGradients(c, x, w, 30 + i));
    wasm.forEach((ref, j) => expect(relativeMaxDiff(ref, ours[j]!)).toBeLessThanOrEqual(1e-4));
  });

  it('training BatchNorm and its gradient match the composed tfjs ops on cpu', () => {
    registerNativeKernels();
    const rng = new Rng(5);
    const shape: [number, number, number, number] = [3, 5, 4, 6];
    const x = randomValues(rng, 3 * 5 * 4 * 6, 3).map((v, i) => v + (i % 6)); // channel means 0..5
    const dy = randomValues(rng, x.length);
    const scale = randomValues(rng, 6);
    const offset = randomValues(rng, 6);
    const run = () => {
      const store: ParamStore = new Map();
      for (const spec of batchNormSpecs('bn', 6)) store.set(spec.name, tf.variable(tf.fill(spec.shape, spec.init.dist === 'constant' ? spec.init.value : 0), true, spec.name));
      store.get('bn.weight')!.assign(tf.tensor1d(scale));
      store.get('bn.bias')!.assign(tf.tensor1d(offset));
      const f = (xx: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        store.get('bn.weight')!.assign(s as tf.Tensor1D);
        store.get('bn.bias')!.assign(o as tf.Tensor1D);
        return batchNorm(store, 'bn', xx as tf.Tensor4D, { training: true, updateStats: false });
      };
      const y = f(tf.tensor4d(x, shape), tf.tensor1d(scale), tf.tensor1d(offset));
      // Gradients through the parameters the way the models use them (variables in the store).
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(batchNorm(store, 'bn', tf.tensor4d(x, shape), { training: true, updateStats: false }), tf.tensor4d(dy, shape))) as tf.Scalar,
        [store.get('bn.weight')!, store.get('bn.bias')!],
      );
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(batchNorm(store, 'bn', xx as tf.Tensor4D, { training: true, updateStats: false }), tf.tensor4d(dy, shape))))(tf.tensor4d(x, shape));
      batchNorm(store, 'bn', tf.tensor4d(x, shape), TRAIN);
      const result = [y, dx, grads[store.get('bn.weight')!.name]!, grads[store.get('bn.bias')!.name]!, store.get('bn.running_mean')!.clone(), store.get('bn.running_var')!.clone()];
      for (const v of store.values()) v.dispose();
      return result;
    };
    const usedFused = () => tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
    tf.setBackend('cpu');
    expect(usedFused()).toBe(false);
    const cpu = onBackend('cpu', run);
    tf.setBackend('wasm');
    expect(usedFused()).toBe(true);
    const ours = onBackend('wasm', run);
    const names = ['y', 'dx', 'dscale', 'doffset', 'running_mean', 'running_var'];
    cpu.forEach((ref, j) => expect(relativeMaxDiff(ref, ours[j]!), names[j]).toBeLessThanOrEqual(2e-5));
    expect(Math.max(...cpu[1]!.map(Math.abs))).toBeGreaterThan(0.01);
  });

  it.each([
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [33, 130], b: [70, 130], ta: false, tb: true },
    { a: [130, 33], b: [130, 70], ta: true, tb: false },
    { a: [2, 13, 5], b: [2, 3, 13], ta: true, tb: true },
    // A batch of 1 broadcasts (forward only: tfjs' own gradient does not reduce it back).
    { a: [1, 5, 7], b: [3, 7, 4], ta: false, tb: false, forwardOnly: true },
    { a: [3, 5, 7], b: [1, 7, 4], ta: false, tb: false, forwardOnly: true },
  ])('BatchMatMul and its gradients match the cpu backend: $a x $b', ({ a, b, ta, tb, forwardOnly }) => {
    registerNativeKernels();
    const rng = new Rng(a.length * 100 + a[0]! + b[1]!);
    const av = randomValues(rng, a.reduce((x, y) => x * y));
    const bv = randomValues(rng, b.reduce((x, y) => x * y));
    const run = () => {
      const [at, bt] = [tf.tensor(av, a), tf.tensor(bv, b)];
      const y = tf.matMul(at, bt, ta, tb);
      if (forwardOnly) return [y];
      const dy = tf.tensor(randomValues(new Rng(3), y.size), y.shape);
      return [y, ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, ta, tb), dy)))([at, bt])];
    };
    const cpu = onBackend('cpu', run);
    const ours = onBackend('wasm', run);
    cpu.forEach((ref, j) => expect(relativeMaxDiff(ref, ours[j]!)).toBeLessThanOrEqual(1e-5));
  });

  it('MaxPoolGrad sends each gradient to the first maximum of its window, as the cpu backend does', () => {
    registerNativeKernels();
    const rng = new Rng(8);
    // Rounded values make ties inside windows; the stem's 3x3/2 pool with padding 1, and 'valid'.
    const x = randomValues(rng, 2 * 9 * 10 * 5).map((v) => Math.round(v * 2));
    for (const pad of [1, 'valid'] as const) {
      const run = () => {
        const xt = tf.tensor4d(x, [2, 9, 10, 5]);
        const y = tf.maxPool(xt, 3, 2, pad);
        const dy = tf.tensor(randomValues(new Rng(4), y.size), y.shape);
        return [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, 3, 2, pad), dy)))(xt)];
      };
      const [cpu] = onBackend('cpu', run);
      const [ours] = onBackend('wasm', run);
      // Same positions; where windows overlap, sums may be added in another order.
      expect(Array.from(ours!, (v) => v !== 0)).toEqual(Array.from(cpu!, (v) => v !== 0));
      expect(relativeMaxDiff(cpu!, ours!)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('the fused SGD step and key blend give the same bits as the composed tfjs ops', () => {
    tf.setBackend('wasm');
    const shapes: Record<string, number[]> = { 'conv1.weight': [3, 3, 4, 8], 'bn1.weight': [8], 'fc.weight': [8, 5] };
    const run = (fused: boolean) => {
      if (fused) registerNativeKernels();
      else unregisterNativeKernels();
      expect(tf.getKernel(SGD_MOMENTUM, 'wasm') !== undefined).toBe(fused);
      expect(tf.getKernel(BLEND, 'wasm') !== undefined).toBe(fused);
      const seeded = new Rng(21);
      const store: ParamStore = new Map(Object.entries(shapes).map(([name, shape]) => [name, tf.variable(tf.tensor(randomValues(seeded, shape.reduce((a, b) => a * b)), shape), true, name + fused)]));
      const key: ParamStore = new Map([...store].map(([name, v]) => [name, tf.variable(tf.mul(v, 0.5), false, `key.${name}${fused}`)]));
      const sgd = new Sgd(store, [...store.keys()], { momentum: 0.9, weightDecay: 1e-4 });
      for (let step = 0; step < 3; step++) {
        const grads = new Map([...store].map(([name, v]) => [name, tf.tensor(randomValues(new Rng(step * 7 + name.length), v.size), v.shape)]));
        sgd.step(grads, 0.03);
        momentumUpdate(key, store, store.keys(), 0.999);
        tf.dispose([...grads.values()]);
      }
      const out = [...store.values(), ...sgd.slots().values(), ...key.values()].map((v) => Array.from(v.dataSync()));
      tf.dispose([...store.values(), ...key.values()]);
      sgd.dispose();
      return out;
    };
    const composed = run(false);
    const fused = run(true);
    expect(fused).toEqual(composed);
    expect(composed[0]).not.toEqual(Array.from(randomValues(new Rng(21), 3 * 3 * 4 * 8))); // it did move
  });

  it('refuses offsets outside the heap, naming the kernel and the argument, and touches nothing', () => {
    const heap = new ArrayBuffer(64);
    const shape = [1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 0, 0, 1, 1]; // 4 floats in, 1 filter, 4 out
    expect(() => native.conv2d(heap, 0, 16, 52, ...shape)).toThrow(/conv2d: argument 3: 4 floats at byte 52 do not fit in a heap of 64 bytes/);
    expect(() => native.conv2d(heap, 2, 16, 20, ...shape)).toThrow(/argument 1/);
    expect(() => native.conv2d(heap, 0, 16, 20, ...shape.slice(1))).toThrow(/expects 19 arguments/);
    expect(() => native.batchNormTrain(heap, 0, 1, 1e-5, 0, 0, 0, 0, 0, 0)).toThrow(/argument 1 must be an integer >= 1/);
    const view = new Float32Array(heap);
    view.set([1, 2, 3, 4], 0);
    view[4] = 2;
    native.conv2d(heap, 0, 16, 20, ...shape);
    expect(Array.from(view.subarray(5, 9))).toEqual([2, 4, 6, 8]);
  });

  // Machines without AVX-512 (or x86) get the AVX2 or portable micro-kernel: run each in a
  // child process (the choice is made once per process) on shapes with partial tiles.
  it.each(['avx2', 'generic'])('the %s micro-kernel computes the same convolutions', (isa) => {
    const script = `
      const k = require(${JSON.stringify(loadNativeKernels().ok ? (loadNativeKernels() as { path: string }).path : '')});
      const shape = [2, 9, 11, 13, 3, 3, 37, 9, 11, 1, 1, 1, 1, 1, 1];
      const sizes = [2 * 9 * 11 * 13, 3 * 3 * 13 * 37, 2 * 9 * 11 * 37];
      const heap = new ArrayBuffer(4 * (sizes[0] + sizes[1] + sizes[2]));
      const f = new Float32Array(heap);
      for (let i = 0; i < sizes[0] + sizes[1]; i++) f[i] = Math.sin(i * 0.7);
      const [x, w, y] = [0, 4 * sizes[0], 4 * (sizes[0] + sizes[1])];
      k.conv2d(heap, x, w, y, ...shape);
      const fwd = Array.from(f.subarray(sizes[0] + sizes[1]));
      k.conv2dBackpropFilter(heap, x, y, w, ...shape);
      const dw = Array.from(f.subarray(sizes[0], sizes[0] + sizes[1]));
      process.stdout.write(JSON.stringify({ isa: k.info().isa, fwd, dw }));`;
    const run = (env: Record<string, string>) => {
      const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
      expect(child.status, child.stderr).toBe(0);
      return JSON.parse(child.stdout) as { isa: string; fwd: number[]; dw: number[] };
    };
    const reference = run({});
    const other = run({ SEN12MS_NATIVE_ISA: isa });
    if (isa === 'avx2' && other.isa !== 'avx2') return; // a CPU without AVX2 falls through to generic, tested below
    expect(other.isa).toBe(isa);
    expect(relativeMaxDiff(Float32Array.from(reference.fwd), Float32Array.from(other.fwd))).toBeLessThanOrEqual(1e-5);
    expect(relativeMaxDiff(Float32Array.from(reference.dw), Float32Array.from(other.dw))).toBeLessThanOrEqual(1e-4);
  });
});
