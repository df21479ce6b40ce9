/** Pretrained and finetuned weights written the way the app writes them, for the finetuning tests. */

import * as tf from '@tensorflow/tfjs-core';
import { bandPreset } from '../../core/common/dataset/bands.js';
import { cardInput } from '../../core/formats/card-normalization.js';
import { exportSafetensors } from '../../core/export/export-safetensors.js';
import type { HostTensor } from '../../core/formats/host-tensor.js';
import { Encoder } from '../../core/models/encoder.js';
import { saveCheckpoint } from '../../core/runs/checkpoint.js';
import { createRun } from '../../core/runs/run-dir.js';
import { classifierEncoderConfig } from '../../core/models/classifier.js';
import { classifierSpec, type FinetuneConfig, resolveFinetuneConfig } from '../../core/common/training/finetune-config.js';
import { Rng } from '../../core/util/rng.js';
import { SIMPLIFIED_CLASSES } from '../../core/common/dataset/labels.js';
import type { ParamStore } from '../../core/models/params.js';
import type { CheckpointRef } from '../../core/common/runs/checkpoint-ref.js';

/** MoCo's query encoder of a sensor-pairs pretrain: S1 and S2 blocks, ResNet-10, projection head. */
export function mocoQuery(seed: number): Encoder {
  return Encoder.create({ depth: 10, inputBlocks: ['s1', 's2'], head: { kind: 'projection', dim: 8 } }, seed);
}

function state(configHash: string, step: number) {
  return { step, epoch: 0, rng: new Rng(1).state(), dataOrder: null, configHash };
}

/** A pretrain run directory (with `trainer` as its config) whose only checkpoint holds `query` as its model. */
export async function pretrainRun(root: string, query: Encoder, trainer: Record<string, unknown> = {}): Promise<string> {
  const run = await createRun(root, { kind: 'pretrain', seed: 1, trainer });
  await saveCheckpoint(run.dir, 'periodic', state(run.configHash, 3), { model: query.params });
  return run.dir;
}

/** `query` exported as a features model through its S2 block (PyTorch layout on disk). */
export async function exportedPretrain(dir: string, query: Encoder): Promise<string> {
  await exportSafetensors(query.params, dir, {
    architecture: 'resnet10',
    ...cardInput(bandPreset('s2-10')),
    inputBlock: 'input.s2',
    task: 'features',
    classes: [],
    threshold: null,
    checkpoint: { run: '/runs/x', file: 'step-000010.safetensors', step: 10, epoch: 1, kind: 'last' },
    training: { kind: 'pretrain', bestRule: 'k-NN', config: {} },
    metrics: {},
    splits: {},
  });
  return dir;
}

/** The checkpoint a fixture card names (no run behind it). */
export const CARD_CHECKPOINT: CheckpointRef = { run: '/runs/x', file: 'step-000010.safetensors', step: 10, epoch: 1, kind: 'last' };

/** `params` of a 12-channel multi-label classifier exported with its card, as `export` would write it. */
export async function exportedFusionClassifier(dir: string, params: ParamStore, config: { input: string; size: number }): Promise<string> {
  await exportSafetensors(params, dir, {
    architecture: 'resnet10',
    ...cardInput(bandPreset('fusion-12')),
    inputBlock: null,
    task: 'multi-label',
    classes: [...SIMPLIFIED_CLASSES],
    threshold: 0.5,
    checkpoint: CARD_CHECKPOINT,
    training: { kind: 'finetune', bestRule: 'micro-F1', config },
    metrics: {},
    splits: {},
  });
  return dir;
}

/** A finetune run directory with a `best` checkpoint of a freshly initialised classifier (no training). */
export async function finetuneRun(root: string, input: Partial<FinetuneConfig> & { catalog: string }): Promise<{ dir: string; encoder: Encoder }> {
  const config = resolveFinetuneConfig(input);
  const run = await createRun(root, { kind: 'finetune', seed: config.seed, trainer: { ...config } });
  const encoder = Encoder.create(classifierEncoderConfig(classifierSpec(config)), config.seed);
  // Non-trivial BatchNorm statistics, so eval mode is exercised.
  const rng = new Rng(5);
  for (const [name, v] of encoder.params) {
    if (name.endsWith('running_var')) v.assign(tf.tensor1d(Float32Array.from({ length: v.size }, () => rng.uniform(0.5, 2))));
  }
  await saveCheckpoint(run.dir, 'best', state(run.configHash, 0), { model: encoder.params });
  return { dir: run.dir, encoder };
}

/** Bit-identical values (a stored checkpoint tensor or a live one). */
export function sameValues(a: tf.Tensor, b: HostTensor | tf.Tensor): boolean {
  const x = a.dataSync() as Float32Array;
  const y = b instanceof tf.Tensor ? (b.dataSync() as Float32Array) : b.values;
  return x.length === y.length && Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)) === 0;
}

