import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSafetensors } from '../../core/export/export-safetensors.js';
import { readModelCard, type ModelCardInput } from '../../core/formats/model-card.js';
import { decodeSafetensors } from '../../core/formats/safetensors.js';
import { Encoder } from '../../core/models/encoder.js';
import { readExportedModel } from '../../core/weights/exported-weights.js';
import { sameValues } from '../training/weights-fixtures.js';

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
  it('writes the torchvision entries (plus num_batches_tracked) in PyTorch layout to model.safetensors, the input block to its own file, and a card naming both', async () => {
    const out = join(dir, 'ok');
    await exportSafetensors(encoder.params, out, card);
    expect((await readdir(out)).sort()).toEqual(['input-block.safetensors', 'model-card.json', 'model.safetensors']);
    const bytes = await readFile(join(out, 'model.safetensors'));
    const blockBytes = await readFile(join(out, 'input-block.safetensors'));
    const { tensors, metadata } = decodeSafetensors(bytes);
    const block = decodeSafetensors(blockBytes);
    const byName = new Map([...tensors, ...block.tensors].map((t) => [t.name, t]));
    const f32 = (name: string) => new Float32Array(new Uint8Array(byName.get(name)!.data).buffer);

    const bnNames = [...encoder.params.keys()].filter((n) => n.endsWith('.running_mean'));
    expect(byName.size).toBe(encoder.params.size + bnNames.length);
    expect(tensors.some((t) => t.name.startsWith('input.'))).toBe(false);
    expect(block.tensors.every((t) => t.name.startsWith('input.s2.'))).toBe(true);
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
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(written.weights).toEqual({
      file: 'model.safetensors',
      format: 'safetensors',
      layout: 'pytorch',
      bytes: bytes.length,
      sha256: digest(bytes),
      parts: [{ role: 'input-block', file: 'input-block.safetensors', bytes: blockBytes.length, sha256: digest(blockBytes) }],
    });
    expect(written.classes).toEqual(card.classes);
    // The weights file alone carries the card (its `weights` would be circular).
    const { weights: _, ...body } = written;
    expect(metadata).toEqual({ format: 'pt', model_card: JSON.stringify(body) });
    expect(written.preprocessing.find((s) => s.op === 'conv1x1')).toMatchObject({ file: 'input-block.safetensors', weight: 'input.s2.conv.weight' });
  });

  it('puts a projection head in head.safetensors, and readExportedModel reads every part back, checking each checksum', async () => {
    const moco = Encoder.create({ depth: 10, inputBlocks: ['s2'], head: { kind: 'projection', dim: 8 } }, 6);
    try {
      const out = join(dir, 'moco');
      const written = await exportSafetensors(moco.params, out, { ...card, task: 'features', classes: [], threshold: null });
      expect(written.weights.parts.map((p) => p.file)).toEqual(['input-block.safetensors', 'head.safetensors']);
      const back = await readExportedModel(out);
      expect([...back.tensors.keys()].sort()).toEqual([...moco.params.keys()].sort());
      for (const [name, v] of moco.params) expect(sameValues(v, back.tensors.get(name)!)).toBe(true);

      const head = await readFile(join(out, 'head.safetensors'));
      head[head.length - 1] ^= 1;
      await writeFile(join(out, 'head.safetensors'), head);
      await expect(readExportedModel(out)).rejects.toThrow(/head\.safetensors: SHA-256 [0-9a-f]+ differs from [0-9a-f]+ in model-card\.json/);
    } finally {
      moco.dispose();
    }
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
