/**
 * Pruning waits for the new checkpoint to read back whole: when the file on disk is not the bytes
 * just written (a flipped byte here, through a wrapped writeFileAtomic), saving fails and every
 * older checkpoint is still there, in the index and on disk.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostTensor } from '../../core/formats/host-tensor.js';
import { readCheckpointIndex } from '../../core/runs/checkpoint-index.js';
import { saveCheckpoint } from '../../core/runs/checkpoint.js';
import { createRun, type Run } from '../../core/runs/run-dir.js';
import { Rng } from '../../core/util/rng.js';

const corrupt = vi.hoisted(() => ({ next: false }));
vi.mock('../../core/util/atomic-write.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/util/atomic-write.js')>();
  return {
    ...real,
    async writeFileAtomic(path: string, data: string | Uint8Array) {
      if (corrupt.next && path.endsWith('.safetensors') && typeof data !== 'string') {
        corrupt.next = false;
        const bad = Uint8Array.from(data);
        bad[bad.length - 1] ^= 0xff;
        return real.writeFileAtomic(path, bad);
      }
      return real.writeFileAtomic(path, data);
    },
  };
});

let root: string;
let run: Run;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ckpt-verify-'));
  run = await createRun(root, { kind: 'pretrain', seed: 1, trainer: {} });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const state = (step: number) => ({ step, epoch: step / 10, rng: new Rng(step).state(), dataOrder: { seed: 3, position: step }, configHash: run.configHash, extra: {} });
const weights = (step: number) => ({ model: new Map<string, HostTensor>([['fc.weight', { dtype: 'float32', shape: [2], values: new Float32Array([step, 1]) }]]) });

describe('checkpoint retention', () => {
  it('prunes nothing when the new file does not read back as written', async () => {
    for (const step of [10, 20]) await saveCheckpoint(run.dir, 'periodic', state(step), weights(step), { keepCheckpoints: 0 });
    const dir = join(run.dir, 'checkpoints');
    expect((await readdir(dir)).filter((f) => f.endsWith('.safetensors'))).toEqual(['step-000020.safetensors']);
    corrupt.next = true;
    await expect(saveCheckpoint(run.dir, 'periodic', state(30), weights(30), { keepCheckpoints: 0 })).rejects.toThrow(/corrupt checkpoint: file SHA-256/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.safetensors')).sort()).toEqual(['step-000020.safetensors', 'step-000030.safetensors']);
    expect((await readCheckpointIndex(dir)).map((e) => e.file)).toContain('step-000020.safetensors');
    // the next good save prunes as usual
    await saveCheckpoint(run.dir, 'periodic', state(40), weights(40), { keepCheckpoints: 0 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.safetensors'))).toEqual(['step-000040.safetensors']);
  });
});
