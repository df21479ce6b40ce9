import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../core/runs/checkpoint.js';
import { loadCheckpointRef, selectCheckpoint } from '../../core/runs/checkpoint-select.js';
import { parseCheckpointSelector } from '../../core/common/runs/checkpoint-ref.js';
import { createRun, type Run } from '../../core/runs/run-dir.js';
import { Rng } from '../../core/util/rng.js';

let root: string;
let run: Run;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ckpt-select-'));
  run = await createRun(root, { kind: 'finetune', seed: 1, trainer: {} });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A checkpoint whose single weight is `step`, so a loaded one says which step it is. */
async function save(kind: 'periodic' | 'best' | 'cancel', step: number) {
  const model = new Map([['fc.bias', tf.tensor1d([step])]]);
  await saveCheckpoint(run.dir, kind, { step, epoch: Math.floor(step / 4), rng: new Rng(1).state(), dataOrder: null, configHash: run.configHash }, { model });
}

const weightOf = async (selector: string) => (await selectCheckpoint(run.dir, parseCheckpointSelector(selector))).checkpoint.model.get('fc.bias')!.values[0];

describe('selectCheckpoint', () => {
  beforeEach(async () => {
    await save('periodic', 4);
    await save('best', 4);
    await save('periodic', 8);
    await save('cancel', 10);
  });

  it('last is the newest step, best the best one, step-N that step; each names what it took', async () => {
    const last = await selectCheckpoint(run.dir, 'last');
    expect(last.ref).toEqual({ run: run.dir, file: 'cancel.safetensors', step: 10, epoch: 2, kind: 'last' });
    const best = await selectCheckpoint(run.dir, 'best');
    expect(best.ref).toEqual({ run: run.dir, file: 'best.safetensors', step: 4, epoch: 1, kind: 'best' });
    const step8 = await selectCheckpoint(run.dir, 'step-8');
    expect(step8.ref).toEqual({ run: run.dir, file: 'step-000008.safetensors', step: 8, epoch: 2, kind: 'step' });
    expect([await weightOf('last'), await weightOf('best'), await weightOf('step-8'), await weightOf('step-4')]).toEqual([10, 4, 8, 4]);
  });

  it('a missing step or best fails, listing what the run has', async () => {
    await expect(selectCheckpoint(run.dir, 'step-5')).rejects.toThrow(/no checkpoint at step 5.*step-4, step-8, step-10, best \(step 4\)/);
    const other = await createRun(root, { kind: 'pretrain', seed: 1, trainer: {} });
    await expect(selectCheckpoint(other.dir, 'best')).rejects.toThrow(/no best checkpoint.*no checkpoints/);
    await expect(selectCheckpoint(other.dir, 'last')).rejects.toThrow(/no usable checkpoint yet/);
  });

  it('last skips a damaged newest file; a named one that is damaged fails instead of being replaced', async () => {
    await writeFile(join(run.dir, 'checkpoints', 'cancel.safetensors'), 'damaged');
    expect((await selectCheckpoint(run.dir, 'last')).ref.step).toBe(8);
    await writeFile(join(run.dir, 'checkpoints', 'best.safetensors'), 'damaged');
    await expect(selectCheckpoint(run.dir, 'best')).rejects.toThrow(/best\.safetensors/);
  });

  it('a recorded ref loads that file, and is refused once the file holds another step', async () => {
    const { ref } = await selectCheckpoint(run.dir, 'best');
    expect((await loadCheckpointRef(ref)).state.step).toBe(4);
    await save('best', 8);
    await expect(loadCheckpointRef(ref)).rejects.toThrow(/holds step 8 now, not the recorded step 4/);
  });

  it('selectors are last, best or step-N', () => {
    for (const bad of ['latest', 'step-', 'step-01', 'step--1', 3, null]) expect(() => parseCheckpointSelector(bad, '--checkpoint')).toThrow(/--checkpoint: expected last, best or step-N/);
    expect(parseCheckpointSelector('step-0')).toBe('step-0');
  });
});
