/**
 * Three exported models for the interoperability tests (ONNX, PyTorch from the card), with
 * perturbed BatchNorm statistics so inference mode is exercised, and the app's own answers for
 * them: embed's features and the classifier's logits through the training data path.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { bandPreset } from '../../core/common/dataset/bands.js';
import { IGBP_CLASSES, SIMPLIFIED_CLASSES } from '../../core/common/dataset/labels.js';
import { cardInput } from '../../core/formats/card-normalization.js';
import { exportOnnx } from '../../core/export/export-onnx.js';
import { exportSafetensors } from '../../core/export/export-safetensors.js';
import type { ModelCard, ModelCardInput } from '../../core/formats/model-card.js';
import { EVAL } from '../../core/models/batch-norm.js';
import { Encoder, type EncoderConfig } from '../../core/models/encoder.js';
import type { PatchItem } from '../../core/sampler/patch-items.js';
import { TensorSource } from '../../core/sampler/tensor-source.js';
import { classifierBatch, classifierLogits, disposeBatch } from '../../core/models/classifier.js';
import { embedPatch } from '../../core/inference/embed.js';
import { loadTrainedClassifier } from '../../core/weights/trained-classifier.js';
import type { PatchFiles } from './patch-files.js';
import { perturbBatchNorm } from './perturb-params.js';

export interface ExportFixture {
  name: string;
  encoder: EncoderConfig;
  card: Omit<ModelCardInput, 'checkpoint' | 'metrics' | 'splits'>;
}

const finetune = (config: Record<string, unknown>) => ({ kind: 'finetune' as const, bestRule: 'highest validation micro-F1', config });

export const EXPORT_FIXTURES: ExportFixture[] = [
  {
    name: 'S2 features (input block, area resize 256 -> 32)',
    encoder: { depth: 10, inputBlocks: ['s2'], head: { kind: 'projection', dim: 8 } },
    card: {
      architecture: 'resnet10',
      ...cardInput(bandPreset('s2-10')),
      inputBlock: 'input.s2',
      task: 'features',
      classes: [],
      threshold: null,
      training: { kind: 'pretrain', bestRule: 'k-NN', config: { size: 32 } },
    },
  },
  {
    name: 'fusion multi-label classifier (12 channels, bilinear resize 256 -> 24)',
    encoder: { depth: 10, inChannels: 12, head: { kind: 'classifier', numClasses: 10 } },
    card: {
      architecture: 'resnet10',
      ...cardInput(bandPreset('fusion-12')),
      inputBlock: null,
      task: 'multi-label',
      classes: [...SIMPLIFIED_CLASSES],
      threshold: 0.5,
      training: finetune({ size: 24, input: 's1s2' }),
    },
  },
  {
    name: 'S1 single-label classifier (input block, 17 classes, area resize 256 -> 64)',
    encoder: { depth: 10, inputBlocks: ['s1'], head: { kind: 'classifier', numClasses: 17 } },
    card: {
      architecture: 'resnet10',
      ...cardInput(bandPreset('s1')),
      inputBlock: 'input.s1',
      task: 'single-label',
      classes: [...IGBP_CLASSES],
      threshold: null,
      training: finetune({ size: 64, input: 's1' }),
    },
  },
];

export interface Exported {
  dir: string;
  card: ModelCard;
}

/** Every fixture exported as safetensors and ONNX under `dir`, by name. */
export async function exportFixtures(dir: string): Promise<Map<string, Exported>> {
  const exported = new Map<string, Exported>();
  for (const [i, m] of EXPORT_FIXTURES.entries()) {
    const encoder = Encoder.create(m.encoder, 40 + i);
    try {
      perturbBatchNorm(encoder.params, 50 + i);
      const out = join(dir, `model-${i}`);
      const card: ModelCardInput = {
        ...m.card,
        createdAt: '2025-06-01T00:00:00.000Z',
        checkpoint: { run: '/runs/x', file: 'step-000010.safetensors', step: 10, epoch: 1, kind: 'best' },
        metrics: {},
        splits: {},
      };
      exported.set(m.name, { dir: out, card: await exportSafetensors(encoder.params, out, card) });
      await exportOnnx(encoder.params, out, card);
    } finally {
      encoder.dispose();
    }
  }
  return exported;
}

/** embed on the patch files the model reads. */
export function embedFiles(card: ModelCard, model: string, patches: Partial<PatchFiles>): Promise<number[]> {
  return embedPatch({ model, s2: card.bands.includes('B2') ? patches.s2 : undefined, s1: card.bands.includes('VV') ? patches.s1 : undefined });
}

/** Our classifier on the patch, through the training data path (TensorSource, classifierLogits). */
export async function classifierLogitsOf(model: string, patches: PatchFiles): Promise<Float32Array> {
  const classifier = await loadTrainedClassifier(model);
  const source = new TensorSource({ size: classifier.size });
  try {
    const item = { id: 'ROIs1158_spring_s2_1_p30', s2Path: patches.s2, s1Path: patches.s1 } as PatchItem;
    const batch = classifierBatch(await source.load([item]), classifier.spec.input);
    const logits = tf.tidy(() => classifierLogits(classifier.encoder, classifier.spec, batch, EVAL));
    disposeBatch(batch);
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  } finally {
    classifier.encoder.dispose();
    await source.close();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
