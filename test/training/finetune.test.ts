import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { Encoder } from '../../core/models/encoder.js';
import { latestCheckpoint, loadCheckpoint, type LoadedCheckpoint } from '../../core/runs/checkpoint.js';
import { readMetrics } from '../../core/runs/metrics-log.js';
import { classifierEncoderConfig } from '../../core/models/classifier.js';
import { classifierSpec, type FinetuneConfig, resolveFinetuneConfig } from '../../core/common/training/finetune-config.js';
import { runFinetune } from '../../core/training/finetune.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';
import { mocoQuery, pretrainRun, sameValues } from './weights-fixtures.js';

let fx: Fixture;
let runs: string;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  runs = await mkdtemp(join(tmpdir(), 'finetune-runs-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(runs, { recursive: true, force: true });
});

// 8 training patches (3 train scenes, one held out for validation), 2 steps per epoch.
const tiny = (extra: Partial<FinetuneConfig> = {}) => resolveFinetuneConfig({ catalog: fx.catalog, depth: 10, size: 16, batchSize: 4, epochs: 2, seed: 3, ...extra });

async function latest(runDir: string): Promise<LoadedCheckpoint> {
  const ckpt = await latestCheckpoint(runDir);
  expect(ckpt).not.toBeNull();
  return ckpt!;
}

function sameHost(a: LoadedCheckpoint['model'], b: LoadedCheckpoint['model']): string[] {
  const differing: string[] = [];
  for (const [name, t] of a) {
    const u = b.get(name);
    if (!u || Buffer.compare(Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength), Buffer.from(u.values.buffer, u.values.byteOffset, u.values.byteLength)) !== 0) differing.push(name);
  }
  return differing;
}

describe('finetuning (ResNet-10, 16 px, wasm)', () => {
  it('trains, validates every epoch, keeps the best checkpoint, leaks no tensors, and resumes exactly', async () => {
    const config = tiny({ lrStepEpochs: 1 });
    const counts: number[] = [];
    const straight = await runFinetune(config, { runsDir: runs, onProgress: () => counts.push(tf.memory().numTensors) });
    expect(straight).toMatchObject({ status: 'completed', steps: 4, epochs: 2 });
    expect(new Set(counts).size).toBe(1);

    const { records } = await readMetrics(straight.runDir);
    const steps = records.filter((r) => 'loss' in r);
    expect(steps.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    // Step schedule by epoch: x0.1 after every lrStepEpochs (1 here).
    expect(steps.map((r) => r.lr)).toEqual([1e-3, 1e-3, 1e-3 * 0.1, 1e-3 * 0.1]);
    for (const r of steps) expect(r.images_per_second as number).toBeGreaterThan(0);
    const epochs = records.filter((r) => 'validation' in r) as { step: number; validation: { task: string; n: number; f1_micro: number } }[];
    expect(epochs.map((r) => r.step)).toEqual([2, 4]);
    for (const r of epochs) expect(r.validation).toMatchObject({ task: 'multi_label', n: 4 });
    const bestValue = Math.max(...epochs.map((r) => r.validation.f1_micro));
    expect(straight.best).toEqual({ metric: 'f1_micro', value: bestValue, step: epochs.find((r) => r.validation.f1_micro === bestValue)!.step });
    await access(join(straight.runDir, 'checkpoints', 'best.safetensors'));

    const first = await runFinetune(config, { runsDir: runs, maxSteps: 2 });
    expect(first.steps).toBe(2);
    const resumed = await runFinetune({ resume: first.runDir }, { runsDir: runs });
    expect(resumed).toMatchObject({ runDir: first.runDir, steps: 4, epochs: 2, finalLoss: straight.finalLoss, best: straight.best });
    const a = await latest(straight.runDir);
    const b = await latest(resumed.runDir);
    expect(a.state.step).toBe(4);
    expect(sameHost(a.model, b.model)).toEqual([]);
    for (const [slot, group] of a.optimizer) expect(sameHost(group, b.optimizer.get(slot)!), slot).toEqual([]);
  });

  it('freezing stage-2 keeps blocks, stem and layer1-2 bit-identical, running statistics included; cancelling writes a cancel checkpoint', async () => {
    const config = tiny({ input: 's1s2', scheme: 'single', variant: 'supervised-1x1', freeze: 'stage-2' });
    const controller = new AbortController();
    const out = await runFinetune(config, { runsDir: runs, signal: controller.signal, onProgress: (p) => p.step === 2 && controller.abort() });
    expect(out).toMatchObject({ status: 'cancelled', steps: 2 });
    const ckpt = await loadCheckpoint(join(out.runDir, 'checkpoints', 'cancel.safetensors'));
    const fresh = Encoder.create(classifierEncoderConfig(classifierSpec(config), true), config.seed);
    for (const [name, v] of fresh.params) {
      if (/^(input\.|conv1\.|bn1\.|layer[12]\.)/.test(name)) expect(sameValues(v, ckpt.model.get(name)!), name).toBe(true);
      if (/^(layer3\.0\.(conv1\.weight|bn1\.running_mean|bn1\.running_var)|fc\.weight)$/.test(name)) expect(sameValues(v, ckpt.model.get(name)!), name).toBe(false);
    }
    fresh.dispose();
  });

  it('moco-1x1 with a linear probe starts from the pretrain and trains only fc', async () => {
    const query = mocoQuery(21);
    const pretrained = await pretrainRun(join(runs, 'pretrain'), query);
    const out = await runFinetune(tiny({ variant: 'moco-1x1', pretrained, freeze: 'linear' }), { runsDir: runs, maxSteps: 1 });
    const ckpt = await latest(out.runDir);
    for (const [name, t] of ckpt.model) {
      if (name.startsWith('fc.')) continue;
      expect(sameValues(query.params.get(name)!, t), name).toBe(true);
    }
    const fresh = Encoder.create(classifierEncoderConfig(classifierSpec(tiny({ variant: 'moco-1x1', pretrained }))), 3);
    expect(sameValues(fresh.params.get('fc.weight')!, ckpt.model.get('fc.weight')!)).toBe(false);
    expect(await readFile(join(out.runDir, 'log.txt'), 'utf8')).toMatch(/initialised from .*step-000003\.safetensors \(moco-1x1\)/);
    fresh.dispose();
    query.dispose();
  });
});
