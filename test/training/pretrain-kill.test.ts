import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { latestCheckpoint } from '../../core/runs/checkpoint.js';
import { recordedPretrainConfig } from '../../core/common/training/pretrain-config.js';
import { runPretrain } from '../../core/training/pretrain.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';

const CLI = fileURLToPath(new URL('./ref/run-cli.ts', import.meta.url));
let fx: Fixture;
let work: string;

beforeAll(async () => {
  await initBackend({ purpose: 'train', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 6, seed: 21 });
  work = await mkdtemp(join(tmpdir(), 'pretrain-kill-'));
});

afterAll(async () => {
  await fx.cleanup();
  await rm(work, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a pretraining process killed mid-run', () => {
  it('resumes from its last checkpoint and ends with the weights of an uninterrupted run', async () => {
    const runs = join(work, 'killed');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'pretrain', fx.catalog, '--depth', '10', '--size', '16', '--batch-size', '4', '--epochs', '3',
        '--queue-size', '8', '--checkpoint-every', '1', '--runs', runs, '--seed', '5', '--backend', 'wasm'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const runDir = await until(async () => {
      const dirs = (await readdir(runs)).filter((d) => !d.startsWith('.'));
      return dirs.length === 1 ? join(runs, dirs[0]) : undefined;
    }, 'the run directory');
    // SIGKILL once step 3 is on disk: no handler runs, no cancel checkpoint is written.
    await until(async () => {
      const index = JSON.parse(await readFile(join(runDir, 'checkpoints', 'index.json'), 'utf8'));
      return index.checkpoints.some((c: { step: number }) => c.step >= 3) ? true : undefined;
    }, 'the step-3 checkpoint');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(runDir, 'checkpoints', 'cancel.safetensors'))).toBe(false);

    const trainer = recordedPretrainConfig(JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8')).trainer);
    const resumed = await runPretrain({ resume: runDir }, { runsDir: runs });
    expect(resumed.status).toBe('completed');
    const straight = await runPretrain(trainer, { runsDir: join(work, 'straight') });
    expect(resumed.steps).toBe(straight.steps);

    const a = (await latestCheckpoint(straight.runDir, () => undefined))!;
    const b = (await latestCheckpoint(resumed.runDir, () => undefined))!;
    for (const [name, t] of a.model) expect(Array.from(b.model.get(name)!.values), name).toEqual(Array.from(t.values));
    for (const [name, t] of a.extra) expect(Array.from(b.extra.get(name)!.values), name).toEqual(Array.from(t.values));
  }, 240_000);
});
