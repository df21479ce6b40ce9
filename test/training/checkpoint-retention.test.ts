import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { selectCheckpoint } from '../../core/runs/checkpoint-select.js';
import { resolvePretrainConfig } from '../../core/common/training/pretrain-config.js';
import { runPretrain } from '../../core/training/pretrain.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';

// A run keeps last, best and keepCheckpoints older periodic checkpoints, records the count in
// config.json, and still resumes and answers last | best | step-N from what it kept.
let fx: Fixture;
let work: string;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 6, seed: 19 });
  work = await mkdtemp(join(tmpdir(), 'retention-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(work, { recursive: true, force: true });
});

describe('checkpoint retention in a pretraining run', () => {
  const config = () =>
    resolvePretrainConfig({
      catalog: fx.catalog,
      depth: 10,
      size: 16,
      batchSize: 4,
      epochs: 4,
      queueSize: 8,
      checkpointEvery: 1,
      keepCheckpoints: 1,
      knn: { k: 3, bank: 8, val: 4 },
      seed: 2,
    });

  it('keeps last, best and one older periodic checkpoint, resumes from them and records the policy', async () => {
    const runs = join(work, 'runs');
    const first = await runPretrain(config(), { runsDir: runs, maxSteps: 5 });
    const files = async () => (await readdir(join(first.runDir, 'checkpoints'))).filter((f) => f.endsWith('.safetensors')).sort();
    expect(first.steps).toBe(5);
    expect(await files()).toContain('best.safetensors');
    expect((await files()).filter((f) => f.startsWith('step-'))).toEqual(['step-000004.safetensors', 'step-000005.safetensors']);
    const recorded = JSON.parse(await readFile(join(first.runDir, 'config.json'), 'utf8')) as { trainer: { keepCheckpoints: number } };
    expect(recorded.trainer.keepCheckpoints).toBe(1);

    const done = await runPretrain({ resume: first.runDir }, { runsDir: runs });
    expect(done.status).toBe('completed');
    const total = done.steps;
    expect((await files()).filter((f) => f.startsWith('step-'))).toEqual([`step-${String(total - 1).padStart(6, '0')}.safetensors`, `step-${String(total).padStart(6, '0')}.safetensors`]);
    expect((await selectCheckpoint(done.runDir, 'last')).ref.step).toBe(total);
    expect((await selectCheckpoint(done.runDir, `step-${total - 1}`)).ref.step).toBe(total - 1);
    expect((await selectCheckpoint(done.runDir, 'best')).ref.kind).toBe('best');
    await expect(selectCheckpoint(done.runDir, 'step-1')).rejects.toThrow(/no checkpoint at step 1/);
  }, 240_000);
});
