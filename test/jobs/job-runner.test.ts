import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, type JobRunHooks } from '../../core/jobs/job-runner.js';
import type { JobSpec } from '../../core/common/jobs/job-spec.js';
import type { TrainOutcome } from '../../core/common/training/progress.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';

// The app's jobs reach the trainers through job-runner's mapping of options: an option it drops
// would run something else than the user chose, silently. Each is checked where it is recorded.
let fx: Fixture;
let work: string;

beforeAll(async () => {
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  work = await mkdtemp(join(tmpdir(), 'job-runner-'));
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(work, { recursive: true, force: true });
});

function hooks(): JobRunHooks {
  return { resume: null, runsDir: join(work, 'runs'), signal: new AbortController().signal, onRunDir: () => {}, onProgress: () => {}, log: () => {} };
}

const trainer = async (runDir: string) => JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8')).trainer;

describe('job options reach what a run records', () => {
  it('pretrain freezeInputBlocks, finetune checkpoint, export checkpoint', async () => {
    const tiny = { depth: 10, size: 16, batchSize: 4, backend: 'wasm' } as const;
    const pretrain: JobSpec = { kind: 'pretrain', catalog: fx.catalog, options: { ...tiny, epochs: 2, queueSize: 8, freezeInputBlocks: false } };
    const pretrained = (await runJob(pretrain, hooks())) as TrainOutcome;
    expect(await trainer(pretrained.runDir)).toMatchObject({ freezeInputBlocks: false, frozen: [] });

    const finetune: JobSpec = {
      kind: 'finetune',
      catalog: fx.catalog,
      options: { ...tiny, epochs: 1, variant: 'moco-1x1', pretrained: pretrained.runDir, checkpoint: 'step-2' },
    };
    const finetuned = (await runJob(finetune, hooks())) as TrainOutcome;
    expect((await trainer(finetuned.runDir)).pretrainedCheckpoint).toMatchObject({ run: pretrained.runDir, step: 2, kind: 'step' });

    const dest = join(work, 'export');
    const exportJob: JobSpec = { kind: 'export', catalog: fx.catalog, options: { run: pretrained.runDir, formats: ['safetensors'], dest, checkpoint: 'step-2' } };
    await runJob(exportJob, hooks());
    const card = JSON.parse(await readFile(join(dest, 'model-card.json'), 'utf8'));
    expect(card.checkpoint).toMatchObject({ run: pretrained.runDir, step: 2, kind: 'step' });
  }, 180_000);
});
