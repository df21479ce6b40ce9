import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { patchRelPath, parsePatchId } from '../../core/common/dataset/names.js';
import { SIMPLIFIED_CLASSES } from '../../core/common/dataset/labels.js';
import { exportRun } from '../../core/export/export-run.js';
import { EXPORT_FORMATS } from '../../core/common/export/export-formats.js';
import { readModelCard } from '../../core/formats/model-card.js';
import { EVAL } from '../../core/models/batch-norm.js';
import { Encoder } from '../../core/models/encoder.js';
import { latestCheckpoint } from '../../core/runs/checkpoint.js';
import { loadPatchItems } from '../../core/sampler/patch-items.js';
import { TensorSource } from '../../core/sampler/tensor-source.js';
import { embedPatch } from '../../core/inference/embed.js';
import { resolveFinetuneConfig } from '../../core/common/training/finetune-config.js';
import { resolvePretrainConfig } from '../../core/common/training/pretrain-config.js';
import { runFinetune } from '../../core/training/finetune.js';
import { runPretrain } from '../../core/training/pretrain.js';
import { runCli } from '../cli/capture.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';

// Tiny runs (ResNet-10, 16 px) on the wasm backend: what matters is that the exported files
// describe the weights exactly, not that the weights are any good.
let fx: Fixture;
let work: string;
let pretrainDir: string;
let finetuneDir: string;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 9 });
  work = await mkdtemp(join(tmpdir(), 'export-run-'));
  const common = { catalog: fx.catalog, depth: 10 as const, size: 16, batchSize: 4, seed: 1 };
  const pretrain = resolvePretrainConfig({ ...common, epochs: 1, queueSize: 8, selection: { split: 'all', seed: 0 } });
  pretrainDir = (await runPretrain(pretrain, { runsDir: join(work, 'runs'), maxSteps: 2 })).runDir;
  const finetune = resolveFinetuneConfig({ ...common, input: 's2', variant: 'supervised', epochs: 1, selection: { valFraction: 0.3 } });
  finetuneDir = (await runFinetune(finetune, { runsDir: join(work, 'runs') })).runDir;
}, 300_000);

afterAll(async () => {
  await fx.cleanup();
  await rm(work, { recursive: true, force: true });
});

const maxAbsDiff = (a: number[], b: ArrayLike<number>) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('exporting a pretraining run', () => {
  it('writes a features model for the chosen sensor in every format: the backbone, its block and the head in their own files, with a matching card', async () => {
    const out = join(work, 'pretrain-s2');
    const result = await exportRun(pretrainDir, out, { formats: [...EXPORT_FORMATS] });
    expect([...result.files].sort()).toEqual([
      'group1-shard1of1.bin', 'head.safetensors', 'input-block.safetensors', 'model-card.json', 'model.json', 'model.onnx', 'model.safetensors',
    ]);
    for (const f of result.files) expect(existsSync(join(out, f))).toBe(true);
    const card = await readModelCard(join(out, 'model-card.json'));
    expect(card).toMatchObject({ architecture: 'resnet10', task: 'features', inputBlock: 'input.s2', inputChannels: 10, classes: [] });
    expect(card.bands).toEqual(['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B11', 'B12']);
    expect(card.checkpoint).toMatchObject({ step: 2, kind: 'last' });
    expect(card.training.kind).toBe('pretrain');
    expect(card.preprocessing.find((s) => s.op === 'resize')).toEqual({ op: 'resize', from: 256, size: 16, method: 'area' });
    expect(card.splits.pretrain.count).toBeGreaterThan(0);
    const keys = (file: string) => {
      const bytes = readFileSync(join(out, file));
      return JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString()) as Record<string, { shape: number[] }>;
    };
    const model = keys('model.safetensors');
    expect(Object.keys(model).some((k) => k.startsWith('input.') || k.startsWith('head.'))).toBe(false);
    expect(model['conv1.weight'].shape).toEqual([64, 3, 7, 7]);
    expect(Object.keys(keys('input-block.safetensors')).every((k) => k.startsWith('input.s2.') || k === '__metadata__')).toBe(true);
    expect(Object.keys(keys('head.safetensors'))).toContain('head.2.weight');
  });

  it('embeds a patch exactly as the checkpoint encoder does on the same normalised input', async () => {
    const out = join(work, 'pretrain-embed');
    await exportRun(pretrainDir, out, { formats: ['safetensors'] });
    const item = loadPatchItems(fx.catalog)[0];
    const features = await embedPatch({ model: out, s2: item.s2Path });
    expect(features).toHaveLength(512);

    // Reference: the checkpoint's query encoder without head, fed by the training data path.
    const ckpt = (await latestCheckpoint(pretrainDir, () => undefined))!;
    const encoder = Encoder.create({ depth: 10, inputBlocks: ['s2'] }, 0);
    for (const [name, v] of encoder.params) {
      const stored = ckpt.model.get(name)!;
      v.assign(tf.tensor(stored.values, stored.shape));
    }
    const source = new TensorSource({ size: 16 });
    const arrays = await source.load([item]);
    await source.close();
    const expected = tf.tidy(() => encoder.forwardBackbone(encoder.forwardInput(tf.tensor4d(arrays.s2, [1, 16, 16, 10]), 's2', EVAL), EVAL));
    expect(maxAbsDiff(features, expected.dataSync())).toBeLessThan(1e-4);
    // The run directory itself, prepared as export prepares it.
    expect(await embedPatch({ model: pretrainDir, s2: item.s2Path })).toEqual(features);
    expected.dispose();
    encoder.dispose();
  });

  it('exports the S1 block on request', async () => {
    const card = (await exportRun(pretrainDir, join(work, 'pretrain-s1'), { formats: ['safetensors'], sensor: 's1' })).card;
    expect(card).toMatchObject({ inputBlock: 'input.s1', inputChannels: 2, bands: ['VV', 'VH'] });
  });
});

describe('exporting a finetuning run', () => {
  it('writes the classifier with its classes, threshold, validation metrics and split digests', async () => {
    const out = join(work, 'classifier');
    await exportRun(finetuneDir, out, { formats: ['safetensors'] });
    const card = await readModelCard(join(out, 'model-card.json'));
    expect(card).toMatchObject({ task: 'multi-label', threshold: 0.5, inputChannels: 12, inputBlock: null, classes: [...SIMPLIFIED_CLASSES] });
    expect(card.bands).toHaveLength(12);
    expect(card.training.config.input).toBe('s2');
    expect(Object.keys(card.metrics)).toContain('val_f1_micro');
    expect(card.splits.train.count + card.splits.val.count).toBeGreaterThan(0);
  });
});

describe('export and embed commands', () => {
  it('export prints one JSON line and embed prints the feature vector as a JSON array', async () => {
    const out = join(work, 'cli-export');
    const exported = await runCli(['export', pretrainDir, '--out', out, '--format', 'safetensors']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout.trim())).toMatchObject({
      dir: out,
      files: ['model.safetensors', 'input-block.safetensors', 'head.safetensors', 'model-card.json'],
      task: 'features',
    });

    const item = loadPatchItems(fx.catalog)[1];
    const ref = parsePatchId(item.id);
    const embedded = await runCli(['embed', '--model', out, '--s2', join(fx.root, patchRelPath(ref, 's2'))]);
    expect(embedded.code).toBe(0);
    const vector = JSON.parse(embedded.stdout.trim());
    expect(vector).toHaveLength(512);
    expect(vector.every((x: unknown) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
  });

  it('refuse bad arguments with a usage error', async () => {
    expect((await runCli(['export', pretrainDir])).code).toBe(2);
    expect((await runCli(['export', pretrainDir, '--out', join(work, 'y'), '--format', 'pt'])).code).toBe(2);
    expect((await runCli(['embed', '--s2', 'x.tif'])).code).toBe(2);
    const missing = await runCli(['embed', '--model', join(work, 'nowhere'), '--s2', 'x.tif']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere/);
  });
});
