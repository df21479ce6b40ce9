import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAND_PRESETS } from '../../core/common/dataset/bands.js';
import { fusionInput, normaliseS1, normaliseS2 } from '../../core/dataset/normalise.js';
import { cardInput } from '../../core/formats/card-normalization.js';
import { exportSafetensors } from '../../core/export/export-safetensors.js';
import { EVAL } from '../../core/models/batch-norm.js';
import { createResNet } from '../../core/models/resnet.js';
import { Rng } from '../../core/util/rng.js';
import { perturbBatchNorm } from './perturb-params.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./ref/torch_features.py', import.meta.url).pathname;
const torchAvailable = spawnSync(PYTHON, ['-c', 'import torch, torchvision, numpy'], { stdio: 'ignore' }).status === 0;

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'torch-parity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Raw pixels per band as the files hold them: S2 reflectance x 10000, S1 dB with NaNs and values outside the clip. */
function rawBands(pixels: number, rng: Rng): { s2: Float32Array[]; s1: Float32Array[] } {
  const s2 = Array.from({ length: 10 }, () => Float32Array.from({ length: pixels }, () => Math.round(rng.uniform(0, 5000))));
  const s1 = Array.from({ length: 2 }, () =>
    Float32Array.from({ length: pixels }, () => (rng.next() < 0.05 ? Number.NaN : rng.uniform(-35, 5))),
  );
  return { s2, s1 };
}

/** Channel-planar bands -> NHWC for one image. */
function toNhwc(channels: Float32Array[], pixels: number): Float32Array {
  const out = new Float32Array(pixels * channels.length);
  channels.forEach((band, c) => band.forEach((v, i) => (out[i * channels.length + c] = v)));
  return out;
}

describe.skipIf(!torchAvailable)('PyTorch parity of the safetensors export (skipped where /usr/bin/python3 lacks torch/torchvision)', () => {
  it('torchvision resnet18 loads model.safetensors strictly and, with the card normalisation, gives our pooled features to 1e-4', async () => {
    const [n, h, w] = [2, 32, 32];
    const pixels = h * w;
    const net = createResNet({ depth: 18, inChannels: 12, seed: 21 });
    perturbBatchNorm(net.params, 22);
    await exportSafetensors(net.params, dir, {
      architecture: 'resnet18',
      ...cardInput(BAND_PRESETS['fusion-12']),
      inputBlock: null,
      task: 'features',
      classes: [],
      threshold: null,
      checkpoint: { run: '/runs/x', file: 'step-000010.safetensors', step: 10, epoch: 1, kind: 'last' },
      training: { kind: 'pretrain', bestRule: 'k-NN', config: { seed: 21 } },
      metrics: {},
      splits: {},
    });

    const rng = new Rng(23);
    const images = Array.from({ length: n }, () => rawBands(pixels, rng));
    const raw = new Float32Array(n * pixels * 12);
    const normalised = new Float32Array(n * pixels * 12);
    images.forEach(({ s2, s1 }, k) => {
      raw.set(toNhwc([...s2, ...s1], pixels), k * pixels * 12);
      const ours = fusionInput(normaliseS2(s2, [...BAND_PRESETS['fusion-12'].s2]), normaliseS1(s1), pixels);
      normalised.set(toNhwc(ours, pixels), k * pixels * 12);
    });
    const inputPath = join(dir, 'input.bin');
    await writeFile(inputPath, new Uint8Array(raw.buffer));

    const result = spawnSync(PYTHON, [SCRIPT, dir, inputPath, String(n), String(h), String(w)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = JSON.parse(result.stdout) as number[][];

    const ours = tf.tidy(() => net.forward(tf.tensor4d(normalised, [n, h, w, 12]), EVAL).arraySync());
    expect(ours.length).toBe(expected.length);
    let maxDiff = 0;
    let maxAbs = 0;
    ours.forEach((row, i) =>
      row.forEach((v, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - expected[i][j]));
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }),
    );
    expect(expected[0]).toHaveLength(512);
    // Features of this size make the tolerance meaningful (not met by all-zero outputs).
    expect(maxAbs).toBeGreaterThan(0.1);
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
