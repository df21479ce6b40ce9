import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { configHash } from '../../core/runs/run-config.js';
import { createRun, openRun } from '../../core/runs/run-dir.js';
import { appendLog } from '../../core/runs/run-log.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'runs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const input = { kind: 'pretrain' as const, seed: 7, trainer: { lr: 0.03, batch: 64 } };

describe('createRun', () => {
  it('creates <timestamp>-<kind>-<id>/ with config.json, metrics.jsonl, log.txt and checkpoints/', async () => {
    const run = await createRun(root, input, new Date('2025-03-04T05:06:07.890Z'));
    expect(run.dir.startsWith(root)).toBe(true);
    expect(run.dir.slice(root.length + 1)).toMatch(/^20250304-050607-pretrain-[0-9a-f]{8}$/);
    expect((await readdir(run.dir)).sort()).toEqual(['checkpoints', 'config.json', 'log.txt', 'metrics.jsonl']);
    const stored = JSON.parse(await readFile(join(run.dir, 'config.json'), 'utf8'));
    expect(stored).toEqual({ format: 'sen12ms-studio.run-config', version: 1, createdAt: '2025-03-04T05:06:07.890Z', ...input });
    expect(await readdir(root)).toEqual([run.dir.slice(root.length + 1)]);
  });

  it('gives two runs created at the same moment different directories', async () => {
    const now = new Date();
    const [a, b] = await Promise.all([createRun(root, input, now), createRun(root, input, now)]);
    expect(a.dir).not.toBe(b.dir);
  });

  it('refuses an invalid config before creating anything', async () => {
    await expect(createRun(root, { ...input, kind: 'train' as 'pretrain' })).rejects.toThrow(/kind: must be one of "pretrain", "finetune", got "train"/);
    await expect(createRun(root, { ...input, seed: -1 })).rejects.toThrow(/seed: must be >= 0/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('openRun', () => {
  it('reads back what createRun wrote, with the same config hash', async () => {
    const created = await createRun(root, { ...input, kind: 'finetune', init: '/x/model.safetensors', name: 'lr sweep' });
    const opened = await openRun(created.dir);
    expect(opened).toEqual(created);
  });

  it('reports a missing folder, a missing config, bad JSON and bad fields, naming the file', async () => {
    await expect(openRun(join(root, 'nope'))).rejects.toThrow(/nope: not a run directory/);
    const { dir } = await createRun(root, input);
    const path = join(dir, 'config.json');
    await rm(path);
    await expect(openRun(dir)).rejects.toThrow(/config\.json: missing/);
    await writeFile(path, '{"kind": ');
    await expect(openRun(dir)).rejects.toThrow(/config\.json: not valid JSON/);
    await writeFile(path, JSON.stringify({ format: 'sen12ms-studio.run-config', version: 1, kind: 'pretrain', createdAt: 'yesterday', trainer: [] }));
    const err = await openRun(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFileError);
    expect((err as DatasetFileError).file).toBe(path);
    expect((err as DatasetFileError).reason).toMatch(/createdAt: "yesterday" does not match/);
    expect((err as DatasetFileError).reason).toMatch(/seed: is missing/);
    expect((err as DatasetFileError).reason).toMatch(/trainer: must be an object, got \[\]/);
  });
});

describe('configHash', () => {
  it('ignores key order and changes with any option', async () => {
    const run = await createRun(root, input);
    const reordered = { ...run.config, trainer: { batch: 64, lr: 0.03 } };
    expect(configHash(reordered)).toBe(run.configHash);
    expect(configHash({ ...run.config, trainer: { lr: 0.03, batch: 32 } })).not.toBe(run.configHash);
  });
});

describe('appendLog', () => {
  it('appends time-stamped lines, indenting continuation lines', async () => {
    const run = await createRun(root, input);
    await appendLog(run.dir, 'started');
    await appendLog(run.dir, 'two\nlines');
    const lines = (await readFile(join(run.dir, 'log.txt'), 'utf8')).split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z started$/);
    expect(lines[1]).toMatch(/Z two$/);
    expect(lines[2]).toBe('    lines');
    expect(lines[3]).toBe('');
  });
});
