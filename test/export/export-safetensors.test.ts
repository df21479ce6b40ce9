import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSafetensors } from '../../core/export/export-safetensors.js';
import { readModelCard, type ModelCardInput } from '../../core/export/model-card.js';
import { decodeSafetensors } from '../../core/export/safetensors.js';
import { Encoder } from '../../core/models/encoder.js';

let dir: string;
let encoder: Encoder;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'export-'));
  encoder = Encoder.create({ depth: 10, inputBlocks: ['s2'], head: { kind: 'classifier', numClasses: 3 } }, 5);
});
afterAll(async () => {
  encoder.dispose();
  await rm(dir, { recursive: true, force: true });
});

const S2_10 = ['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B11', 'B12'];
const card: ModelCardInput = {
  architecture: 'resnet10',
  inputChannels: 10,
  bands: S2_10,
  inputBlock: 'input.s2',
  normalization: { nanValue: Array(10).fill(0), clip: Array(10).fill(null), mean: Array(10).fill(1000), std: Array(10).fill(500) },
  task: 'single-label',
  classes: ['Forest', 'Cropland', 'Water'],
  threshold: null,
  checkpoint: { run: '/runs/x', file: 'step-000010.safetensors', step: 10, epoch: 1, kind: 'last' },
  training: { kind: 'finetune', bestRule: 'highest validation micro-F1', config: {} },
  metrics: { 'val.microF1': 0.5 },
  splits: {},
};

describe('exportSafetensors', () => {
  it('writes every entry under its own name in PyTorch layout, plus num_batches_tracked, and a card that points at the file', async () => {
    const out = join(dir, 'ok');
    await exportSafetensors(encoder.params, out, card);
    expect((await readdir(out)).sort()).toEqual(['model-card.json', 'model.safetensors']);
    const bytes = await readFile(join(out, 'model.safetensors'));
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const f32 = (name: string) => new Float32Array(new Uint8Array(byName.get(name)!.data).buffer);

    const bnNames = [...encoder.params.keys()].filter((n) => n.endsWith('.running_mean'));
    expect(byName.size).toBe(encoder.params.size + bnNames.length);
    expect(byName.get('input.s2.bn.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });

    // conv: torch[o][i][h][w] == ours[h][w][i][o]
    const conv = encoder.params.get('layer1.0.conv2.weight')!;
    const hwio = conv.arraySync() as number[][][][];
    expect(byName.get('layer1.0.conv2.weight')!.shape).toEqual([64, 64, 3, 3]);
    const oihw = f32('layer1.0.conv2.weight');
    for (const [o, i, h, w] of [[0, 0, 0, 0], [5, 7, 2, 1], [63, 1, 0, 2], [10, 63, 1, 1]]) {
      expect(oihw[((o * 64 + i) * 3 + h) * 3 + w]).toBe(hwio[h][w][i][o]);
    }
    // input block conv [1,1,10,3] -> [3,10,1,1]; dense [512,3] -> [3,512]
    expect(byName.get('input.s2.conv.weight')!.shape).toEqual([3, 10, 1, 1]);
    const fc = encoder.params.get('fc.weight')!.arraySync() as number[][];
    expect(byName.get('fc.weight')!.shape).toEqual([3, 512]);
    expect(f32('fc.weight')[2 * 512 + 100]).toBe(fc[100][2]);
    expect([...f32('bn1.running_var')]).toEqual([...encoder.params.get('bn1.running_var')!.dataSync()]);

    const written = await readModelCard(join(out, 'model-card.json'));
    expect(written.weights).toEqual({
      file: 'model.safetensors',
      format: 'safetensors',
      layout: 'pytorch',
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(written.classes).toEqual(card.classes);
  });

  it('refuses a card that does not fit the weights, writing nothing', async () => {
    const out = join(dir, 'bad');
    await expect(exportSafetensors(encoder.params, out, { ...card, architecture: 'resnet18' })).rejects.toThrow(
      /architecture is resnet18, the weights are resnet10/,
    );
    await expect(exportSafetensors(encoder.params, out, { ...card, classes: ['a', 'b'] })).rejects.toThrow(/2 classes, the weights have 3 outputs/);
    // Without the block, inputs would go straight to conv1, which takes the block's 3 channels.
    await expect(exportSafetensors(encoder.params, out, { ...card, inputBlock: null })).rejects.toThrow(/inputChannels is 10, the weights take 3/);
    await expect(exportSafetensors(encoder.params, out, { ...card, inputBlock: 'input.s1' })).rejects.toThrow(/no input block input\.s1 in the model/);
    await expect(exportSafetensors(encoder.params, out, { ...card, bands: ['B2'] })).rejects.toThrow(/bands: has 1 entries for 10 input channels/);
    expect(await readdir(dir)).not.toContain('bad');
  });
});
