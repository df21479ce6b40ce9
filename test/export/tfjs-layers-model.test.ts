import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTfjsLayersModel } from '../../core/export/tfjs-layers-model.js';
import { EVAL } from '../../core/models/batch-norm.js';
import { Encoder } from '../../core/models/encoder.js';
import { createResNet } from '../../core/models/resnet.js';
import { Rng } from '../../core/util/rng.js';
import { perturbBatchNorm } from './perturb-params.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'tfjs-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Loads what exportTfjsLayersModel wrote the way a file:// or http:// loader would: model.json, then its manifest's paths. */
async function loadFromFolder(folder: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  return tfl.loadLayersModel({
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readFile(join(folder, p))));
        const data = Buffer.concat(buffers);
        return [specs, data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)];
      }),
  });
}

function input(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('exportTfjsLayersModel', () => {
  it('writes model.json + group1-shard1of1.bin that loadLayersModel loads and that predicts as the ParamStore forward (ResNet-10, 5 channels)', async () => {
    const net = createResNet({ depth: 10, inChannels: 5, seed: 3 });
    perturbBatchNorm(net.params, 4);
    const out = join(dir, 'resnet10');
    await exportTfjsLayersModel(net.params, out);
    expect((await readdir(out)).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./group1-shard1of1.bin']);

    const model = await loadFromFolder(out);
    const x = input([2, 32, 32, 5], 5);
    const ours = tf.tidy(() => net.forward(x, EVAL));
    const theirs = model.predict(x) as tf.Tensor;
    expect(theirs.shape).toEqual([2, 512]);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
    // A different input size works too (the model's input is [null, null, 5]).
    const y = input([1, 24, 40, 5], 6);
    expect(maxAbsDiff(tf.tidy(() => net.forward(y, EVAL)), model.predict(y) as tf.Tensor)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('includes the input block and the fc classifier (ResNet-10, s2 block, 4 classes)', async () => {
    const encoder = Encoder.create({ depth: 10, inputBlocks: ['s2'], head: { kind: 'classifier', numClasses: 4 } }, 8);
    perturbBatchNorm(encoder.params, 9);
    const out = join(dir, 'classifier');
    await exportTfjsLayersModel(encoder.params, out);
    const model = await loadFromFolder(out);
    const x = input([2, 32, 32, 10], 10);
    const ours = tf.tidy(() => encoder.forward(x, { sensor: 's2', training: false }));
    const theirs = model.predict(x) as tf.Tensor;
    expect(theirs.shape).toEqual([2, 4]);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('asks which input block to export when the model has several', async () => {
    const encoder = Encoder.create({ depth: 10, inputBlocks: ['s1', 's2'] }, 1);
    await expect(exportTfjsLayersModel(encoder.params, join(dir, 'two'))).rejects.toThrow(/several input blocks \(input\.s1, input\.s2\)/);
  });
});
