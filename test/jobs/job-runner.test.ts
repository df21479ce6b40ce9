import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, type JobRunHooks } from '../../core/jobs/job-runner.js';
import type { FinetuneJobOptions, JobSpec, PretrainJobOptions } from '../../core/common/jobs/job-spec.js';
import type { TrainOutcome } from '../../core/common/training/progress.js';
import { runCli } from '../cli/capture.js';
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

// The CLI's flags and the app's job options are one set of settings made into a config by one
// function: the same settings on the same backend must record the same config.json, defaults
// included, or a run started in the app could not be reproduced from the command line.
describe('the CLI and a job record the same config for the same settings', () => {
  const cliRun = async (argv: string[]) => {
    const { code, stdout } = await runCli([...argv, '--max-steps', '1', '--backend', 'wasm', '--runs', join(work, 'cli')]);
    expect(code).toBe(0);
    return JSON.parse(stdout.trim()).run as string;
  };
  const jobRun = async (spec: JobSpec) => ((await runJob(spec, hooks())) as TrainOutcome).runDir;

  it('pretrain: settings given, backend defaults (queue) and research defaults alike', async () => {
    const options: PretrainJobOptions = {
      strategy: 'sensor-pairs+augment',
      aug: 'aug-set-1',
      depth: 10,
      size: 16,
      batchSize: 4,
      epochs: 1,
      subset: 'random:6',
      knn: { k: 2, bank: 8, val: 4 },
      seed: 7,
    };
    const fromCli = await cliRun([
      'pretrain', fx.catalog, '--strategy', 'sensor-pairs+augment', '--aug', 'aug-set-1', '--depth', '10', '--size', '16', '--batch-size', '4',
      '--epochs', '1', '--subset', 'random:6', '--knn-k', '2', '--knn-bank', '8', '--knn-val', '4', '--seed', '7',
    ]);
    const fromJob = await jobRun({ kind: 'pretrain', catalog: fx.catalog, options: { ...options, maxSteps: 1, backend: 'wasm' } });
    const recorded = await trainer(fromJob);
    expect(recorded).toMatchObject({ queueSize: 4096, lr: 0.03, selection: { subset: { kind: 'random', n: 6 } } });
    expect(await trainer(fromCli)).toEqual(recorded);
  }, 180_000);

  it('finetune: settings given, backend defaults (size) and research defaults alike', async () => {
    const options: FinetuneJobOptions = { input: 's1s2', scheme: 'single', variant: 'supervised-1x1', depth: 10, batchSize: 4, epochs: 1, valFraction: 0.25, seed: 3 };
    const fromCli = await cliRun([
      'finetune', fx.catalog, '--input', 's1s2', '--scheme', 'single', '--variant', 'supervised-1x1', '--depth', '10', '--batch-size', '4',
      '--epochs', '1', '--val-fraction', '0.25', '--seed', '3',
    ]);
    const fromJob = await jobRun({ kind: 'finetune', catalog: fx.catalog, options: { ...options, maxSteps: 1, backend: 'wasm' } });
    const recorded = await trainer(fromJob);
    expect(recorded).toMatchObject({ size: 64, lr: 1e-3, selection: { valFraction: 0.25 } });
    expect(await trainer(fromCli)).toEqual(recorded);
  }, 180_000);
});
