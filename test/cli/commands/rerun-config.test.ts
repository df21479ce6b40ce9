import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../core/cli/args.js';
import { run as finetune } from '../../../core/cli/commands/finetune.js';
import { run as pretrain } from '../../../core/cli/commands/pretrain.js';
import { latestCheckpoint, loadCheckpoint } from '../../../core/runs/checkpoint.js';
import { readCheckpointIndex } from '../../../core/runs/checkpoint-index.js';
import { makeFixture, type Fixture } from '../../sampler/fixture.js';
import { captureStdout } from '../capture.js';

// A run's config.json is what ran: started again from it (--config), a run gives the same
// weights, and a finetune loads the very pretrain checkpoint its config names.
let fx: Fixture;
let runs: string;
let pretrainRun: string;

const tiny = ['--depth', '10', '--size', '16', '--batch-size', '4', '--seed', '3', '--backend', 'wasm'];

async function cli(command: typeof pretrain, argv: string[]): Promise<{ run: string; status: string; best: unknown; steps: number }> {
  const stdout = captureStdout();
  expect(await command(argv)).toBe(0);
  vi.restoreAllMocks();
  return JSON.parse(stdout().trim());
}

async function config(runDir: string) {
  return JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8'));
}

async function finalTensors(runDir: string): Promise<string> {
  return (await latestCheckpoint(runDir, () => undefined))!.state.step + ':' + JSON.stringify((await readCheckpointIndex(join(runDir, 'checkpoints'))).filter((e) => e.kind !== 'best').at(-1)!.tensorSha256);
}

beforeAll(async () => {
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  runs = await mkdtemp(join(tmpdir(), 'cli-rerun-'));
  pretrainRun = (await cli(pretrain, [fx.catalog, ...tiny, '--epochs', '3', '--queue-size', '8', '--knn-k', '2', '--knn-bank', '8', '--knn-val', '4', '--runs', join(runs, 'p')])).run;
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
  await rm(runs, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('re-running from a recorded config.json', () => {
  it('pretrain --config gives the same weights; the frozen 1x1 blocks never changed', async () => {
    const again = await cli(pretrain, ['--config', join(pretrainRun, 'config.json'), '--runs', join(runs, 'p2'), '--backend', 'wasm']);
    expect(again.run).not.toBe(pretrainRun);
    expect(await finalTensors(again.run)).toBe(await finalTensors(pretrainRun));
    const { trainer } = await config(pretrainRun);
    expect(trainer).toMatchObject({ freezeInputBlocks: true, frozen: ['input.s1', 'input.s2'], aug: 'none' });

    const index = await readCheckpointIndex(join(pretrainRun, 'checkpoints'));
    const [first, last] = [index[0], index.filter((e) => e.kind !== 'best').at(-1)!];
    const a = await loadCheckpoint(join(pretrainRun, 'checkpoints', first.file));
    const b = await loadCheckpoint(join(pretrainRun, 'checkpoints', last.file));
    expect(last.step).toBeGreaterThan(first.step);
    for (const name of ['input.s2.conv.weight', 'input.s1.conv.weight', 'input.s2.bn.weight']) {
      expect(Array.from(b.model.get(name)!.values), name).toEqual(Array.from(a.model.get(name)!.values));
    }
    // The backbone did train.
    expect(Array.from(b.model.get('conv1.weight')!.values)).not.toEqual(Array.from(a.model.get('conv1.weight')!.values));
  }, 180_000);

  it('finetune records the pretrain checkpoint it loaded (last by default, or the one asked for) and --config loads that same file', async () => {
    const common = [fx.catalog, ...tiny, '--epochs', '1', '--variant', 'moco-1x1', '--pretrained', pretrainRun];
    const byDefault = await cli(finetune, [...common, '--runs', join(runs, 'f')]);
    const lastStep = (await latestCheckpoint(pretrainRun, () => undefined))!.state.step;
    expect((await config(byDefault.run)).trainer.pretrainedCheckpoint).toEqual({ run: pretrainRun, file: `step-${String(lastStep).padStart(6, '0')}.safetensors`, step: lastStep, epoch: 3, kind: 'last' });

    const asked = await cli(finetune, [...common, '--checkpoint', 'step-4', '--runs', join(runs, 'f')]);
    const recorded = (await config(asked.run)).trainer.pretrainedCheckpoint;
    expect(recorded).toMatchObject({ step: 4, kind: 'step', file: 'step-000004.safetensors' });
    expect(asked).toMatchObject({ pretrainedCheckpoint: recorded });
    expect(await readFile(join(asked.run, 'log.txt'), 'utf8')).toMatch(
      new RegExp(`initialised from .*step-000004\\.safetensors \\(moco-1x1\\): the pretrain's step checkpoint, step 4, epoch ${recorded.epoch}`),
    );

    const again = await cli(finetune, ['--config', join(asked.run, 'config.json'), '--runs', join(runs, 'f2'), '--backend', 'wasm']);
    expect((await config(again.run)).trainer.pretrainedCheckpoint).toEqual(recorded);
    expect(await finalTensors(again.run)).toBe(await finalTensors(asked.run));
    expect(await finalTensors(again.run)).not.toBe(await finalTensors(byDefault.run));
  }, 180_000);

  it.each([
    [['--config', '/c.json', '--lr', '0.1'], /--config re-runs a recorded config with its own settings; drop --lr/],
    [['--config', '/c.json', '--resume', '/r'], /not both/],
    [['c.db', '--restart'], /--restart applies to --resume/],
    [['c.db', '--checkpoint', 'best', '--backend', 'wasm'], /give --pretrained/],
    [['c.db', '--variant', 'moco', '--pretrained', '/p', '--checkpoint', 'newest', '--backend', 'wasm'], /--checkpoint: expected last, best or step-N/],
  ])('finetune refuses %j as a usage error', async (argv, message) => {
    captureStdout();
    const attempt = finetune(argv);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('pretrain --config refuses a finetune config', async () => {
    const { run: finetuned } = await cli(finetune, [fx.catalog, ...tiny, '--epochs', '1', '--runs', join(runs, 'f3')]);
    captureStdout();
    await expect(pretrain(['--config', join(finetuned, 'config.json'), '--backend', 'wasm'])).rejects.toThrow(/a finetune run's config, not a pretrain run's/);
  }, 120_000);
});
