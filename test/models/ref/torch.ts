/**
 * torchvision (Debian's /usr/bin/python3) as the reference for the ResNet tests: its state_dict
 * names, and forwards over weights exported from a ParamStore. Each helper starts one Python
 * process for all its cases, since importing torch takes seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';

import { paramKind, type ParamStore } from '../../../core/models/params.js';
import type { ResNetDepth } from '../../../core/common/training/model-options.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_resnet.py', import.meta.url));

export const torchAvailable = spawnSync(PYTHON, ['-c', 'import torch, torchvision']).status === 0;

function python(args: string[]): unknown {
  const result = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`torch_resnet.py ${args[0]} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** torchvision's state_dict names and shapes (OIHW) per depth, without fc. */
export function torchStateShapes(inChannels: number, depths: readonly ResNetDepth[]): Record<number, Record<string, number[]>> {
  return python(['names', String(inChannels), ...depths.map(String)]) as Record<number, Record<string, number[]>>;
}

/** tfjs layout -> PyTorch layout: conv HWIO -> OIHW, dense [in, out] -> [out, in]. */
export function toTorchLayout(name: string, v: tf.Tensor): tf.Tensor {
  const kind = paramKind(name, v.rank);
  if (kind === 'conv') return tf.transpose(v, [3, 2, 0, 1]);
  if (kind === 'dense') return tf.transpose(v);
  return v.clone();
}

export interface TorchCase {
  depth: ResNetDepth;
  params: ParamStore;
  /** NHWC batch. */
  x: tf.Tensor4D;
  training: boolean;
}

export interface TorchResult {
  features: number[];
  /** BatchNorm running statistics after the forward, by name. */
  buffers: Record<string, number[]>;
}

/** One torchvision forward per case over that case's parameters (read now, before the caller changes them). */
export function torchForward(cases: readonly TorchCase[]): TorchResult[] {
  const root = mkdtempSync(join(tmpdir(), 'torch-resnet-'));
  try {
    const dirs = cases.map((c, i) => {
      const dir = join(root, String(i));
      mkdirSync(dir);
      writeCase(dir, c);
      return dir;
    });
    return python(['run', ...dirs]) as TorchResult[];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function writeCase(dir: string, { depth, params, x, training }: TorchCase): void {
  const entries: { name: string; shape: number[]; offset: number }[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, v] of params) {
    const t = toTorchLayout(name, v);
    const values = t.dataSync() as Float32Array;
    entries.push({ name, shape: t.shape, offset });
    t.dispose();
    chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    offset += values.length;
  }
  writeFileSync(join(dir, 'params.bin'), Buffer.concat(chunks));
  const nchw = tf.tidy(() => tf.transpose(x, [0, 3, 1, 2]));
  writeFileSync(join(dir, 'input.bin'), nchw.dataSync() as Float32Array);
  const manifest = { depth, in_channels: x.shape[3], training, input_shape: nchw.shape, params: entries };
  nchw.dispose();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
}
