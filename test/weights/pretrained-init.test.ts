import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { Encoder } from '../../core/models/encoder.js';
import { classifierEncoderConfig } from '../../core/models/classifier.js';
import type { ClassifierSpec } from '../../core/common/training/finetune-config.js';
import { fromTorchLayout, toTorchLayout } from '../../core/formats/torch-layout.js';
import { initFromPretrained, readPretrainedWeights, type PretrainedWeights } from '../../core/weights/pretrained-init.js';
import { Rng } from '../../core/util/rng.js';
import { exportedPretrain, finetuneRun, mocoQuery, pretrainRun, sameValues } from '../training/weights-fixtures.js';

let root: string;
let query: Encoder;
let fromRun: PretrainedWeights;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'pretrained-init-'));
  query = mocoQuery(11);
  fromRun = await readPretrainedWeights(await pretrainRun(root, query));
});

afterAll(async () => {
  query.dispose();
  await rm(root, { recursive: true, force: true });
});

const spec = (input: ClassifierSpec['input'], inputBlocks: boolean, depth: ClassifierSpec['depth'] = 10): ClassifierSpec => ({
  depth, input, inputBlocks, scheme: 'multi', classes: 10,
});

describe('reading pretrained weights', () => {
  it('takes the query encoder from a pretrain run checkpoint', () => {
    expect(fromRun.source).toMatch(/checkpoints\/step-000003\.safetensors$/);
    for (const [name, v] of query.params) expect(sameValues(v, fromRun.tensors.get(name)!), name).toBe(true);
  });

  it('transposes an exported model (PyTorch layout) back to the same values', async () => {
    const exported = await readPretrainedWeights(await exportedPretrain(join(root, 'export'), query));
    expect([...exported.tensors.keys()].sort()).toEqual([...query.params.keys()].sort());
    for (const [name, v] of query.params) expect(sameValues(v, exported.tensors.get(name)!), name).toBe(true);
  });

  it('fromTorchLayout inverts toTorchLayout for conv and dense kernels', () => {
    const rng = new Rng(3);
    for (const shape of [[3, 2, 4, 5], [6, 7]]) {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal());
      const host = { dtype: 'float32' as const, shape, values };
      const back = fromTorchLayout('w', toTorchLayout('w', host));
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.values)).toEqual(Array.from(values));
    }
  });

  it('refuses a finetune run as pretrained weights', async () => {
    const { dir, encoder } = await finetuneRun(join(root, 'ft'), { catalog: 'c.db', depth: 10 });
    encoder.dispose();
    await expect(readPretrainedWeights(dir)).rejects.toThrow(/a finetune run, not a pretrain run/);
  });
});

describe('initialising a classifier from MoCo', () => {
  function build(s: ClassifierSpec): { encoder: Encoder; fresh: Encoder } {
    const config = classifierEncoderConfig(s);
    return { encoder: Encoder.create(config, 4), fresh: Encoder.create(config, 4) };
  }

  it('moco-1x1 loads backbone and both blocks, keeps the new fc', () => {
    const { encoder, fresh } = build(spec('s1s2', true));
    initFromPretrained(encoder, spec('s1s2', true), 'moco-1x1', fromRun, () => {});
    for (const [name, v] of encoder.params) {
      const expected = name.startsWith('fc.') ? fresh.params.get(name)! : query.params.get(name)!;
      expect(sameValues(v, expected), name).toBe(true);
    }
    encoder.dispose();
    fresh.dispose();
  });

  it('moco-1x1-rnd loads the backbone but keeps freshly initialised blocks', () => {
    const { encoder, fresh } = build(spec('s2', true));
    initFromPretrained(encoder, spec('s2', true), 'moco-1x1-rnd', fromRun, () => {});
    expect(sameValues(encoder.params.get('input.s2.conv.weight')!, fresh.params.get('input.s2.conv.weight')!)).toBe(true);
    expect(sameValues(encoder.params.get('input.s2.conv.weight')!, query.params.get('input.s2.conv.weight')!)).toBe(false);
    expect(sameValues(encoder.params.get('layer3.0.conv2.weight')!, query.params.get('layer3.0.conv2.weight')!)).toBe(true);
    encoder.dispose();
    fresh.dispose();
  });

  it('moco on 12 fusion channels re-initialises a 3-channel conv1 and says so', () => {
    const { encoder, fresh } = build(spec('s1s2', false));
    const lines: string[] = [];
    initFromPretrained(encoder, spec('s1s2', false), 'moco', fromRun, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/conv1 re-initialised: the pretrained conv1 takes 3 channels, this model feeds it 12/);
    expect(sameValues(encoder.params.get('conv1.weight')!, fresh.params.get('conv1.weight')!)).toBe(true);
    expect(sameValues(encoder.params.get('layer1.0.conv1.weight')!, query.params.get('layer1.0.conv1.weight')!)).toBe(true);
    expect(sameValues(encoder.params.get('bn1.running_var')!, query.params.get('bn1.running_var')!)).toBe(true);
    encoder.dispose();
    fresh.dispose();
  });

  it('names the missing entry when the depth differs', () => {
    const encoder = Encoder.create(classifierEncoderConfig(spec('s2', true, 18)), 4);
    let error: unknown;
    try {
      initFromPretrained(encoder, spec('s2', true, 18), 'moco-1x1', fromRun, () => {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatasetFileError);
    expect((error as Error).message).toMatch(/step-000003\.safetensors: no layer1\.1\.conv1\.weight .*ResNet-18/);
    encoder.dispose();
  });
});
