import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { BackendRefusedError, initBackend } from '../../core/backend/select.js';
import { BACKEND_CHOICES } from '../../core/common/training/backends.js';
import { importOptional } from '../../core/backend/optional-packages.js';
import { wasmBinaryDir } from '../../core/backend/wasm-paths.js';

describe('initBackend', () => {
  it('refuses to train on the cpu backend, saying why and what to install', async () => {
    const refusal = initBackend({ purpose: 'train', prefer: 'cpu' });
    await expect(refusal).rejects.toBeInstanceOf(BackendRefusedError);
    await expect(refusal).rejects.toThrow(/the cpu backend is too slow to train: install @tensorflow\/tfjs-node-gpu \(CUDA\).*wasm/);
  });

  it('picks the first backend that loads and says why the ones before it did not', async () => {
    const info = await initBackend({ purpose: 'train' });
    expect(info.found[info.name].ok).toBe(true);
    for (const earlier of BACKEND_CHOICES.slice(0, BACKEND_CHOICES.indexOf(info.name))) {
      expect(info.found[earlier].ok).toBe(false);
      expect(info.found[earlier].error).toMatch(/\S/);
    }
    expect(info.name).not.toBe('cpu');
    expect(tf.getBackend()).toBe(info.tfBackend);
    expect(info.gpu.cuda).toBe(info.name === 'tfjs-node-gpu');
  });

  it('starts wasm with SIMD detected and the training kernels registered', async () => {
    const info = await initBackend({ purpose: 'train', prefer: 'wasm' });
    expect(info.name).toBe('wasm');
    expect(info.tfBackend).toBe('wasm');
    expect(info.reason).toBe('wasm was asked for');
    expect(typeof info.wasm?.simd).toBe('boolean');
    expect(info.wasm?.threads).toBeGreaterThanOrEqual(1);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('allows the cpu backend for inference, and is idempotent across switches', async () => {
    const train = await initBackend({ purpose: 'train', prefer: 'wasm' });
    const infer = await initBackend({ purpose: 'infer', prefer: 'cpu' });
    expect(infer.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const again = await initBackend({ purpose: 'train', prefer: 'wasm' });
    expect(again).toBe(train);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('optional packages and wasm binaries', () => {
  it('reports a package that is not installed without throwing', async () => {
    const { status, module } = await importOptional('@sen12ms-studio/no-such-package');
    expect(status).toEqual({ ok: false, error: 'not installed' });
    expect(module).toBeUndefined();
  });

  it('finds the folder with the SIMD wasm binary', () => {
    const dir = wasmBinaryDir();
    expect(dir.endsWith(sep)).toBe(true);
    expect(existsSync(`${dir}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });
});
