import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../core/backend/select.js';
import { UsageError } from '../../../core/cli/args.js';
import { run } from '../../../core/cli/commands/evaluate.js';
import { SIMPLIFIED_CLASSES } from '../../../core/common/dataset/labels.js';
import type { MultiLabelReport, SingleLabelReport } from '../../../core/common/metrics/report-types.js';
import { saveCheckpoint } from '../../../core/runs/checkpoint.js';
import type { CheckpointRef } from '../../../core/common/runs/checkpoint-ref.js';
import { openRun } from '../../../core/runs/run-dir.js';
import { loadPatchItems } from '../../../core/sampler/patch-items.js';
import { evaluate } from '../../../core/inference/evaluate.js';
import type { EvaluationReport } from '../../../core/inference/evaluation-report.js';
import { Rng } from '../../../core/util/rng.js';
import { makeFixture, type Fixture } from '../../sampler/fixture.js';
import { CARD_CHECKPOINT, exportedFusionClassifier, finetuneRun } from '../../training/weights-fixtures.js';
import { captureStdout } from '../capture.js';

let fx: Fixture;
let root: string;
/** Multi-label run: `best` at step 0, and a periodic checkpoint at step 7 with other weights. */
let model: string;
let step7: CheckpointRef;
/** Single-label run with only `best`. */
let single: string;
/** The multi-label run's best weights, exported. */
let exported: string;


beforeAll(async () => {
  // The fixture model is built before the command picks its backend.
  await initBackend({ purpose: 'infer', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  root = await mkdtemp(join(tmpdir(), 'cli-evaluate-'));
  const { dir, encoder } = await finetuneRun(join(root, 'multi'), { catalog: fx.catalog, depth: 10, size: 16 });
  model = dir;

  exported = join(root, 'export');
  await exportedFusionClassifier(exported, encoder.params, { input: 's1s2', size: 16 });

  // A later checkpoint whose classifier says yes to every class: its figures cannot match best's.
  encoder.params.get('fc.bias')!.assign(tf.fill([SIMPLIFIED_CLASSES.length], 20));
  const { configHash } = await openRun(model);
  const entry = await saveCheckpoint(model, 'periodic', { step: 7, epoch: 1, rng: new Rng(1).state(), dataOrder: null, configHash }, { model: encoder.params });
  step7 = { run: model, file: entry.file, step: 7, epoch: 1, kind: 'step' };
  encoder.dispose();

  const singleRun = await finetuneRun(join(root, 'single'), { catalog: fx.catalog, depth: 10, size: 16, scheme: 'single' });
  singleRun.encoder.dispose();
  single = singleRun.dir;
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs the command with the wasm backend and returns its one JSON line. */
async function evaluateLine(argv: string[]) {
  const stdout = captureStdout();
  expect(await run([...argv, '--catalog', fx.catalog, '--backend', 'wasm'])).toBe(0);
  const lines = stdout().trim().split('\n');
  expect(lines).toHaveLength(1);
  vi.restoreAllMocks();
  return JSON.parse(lines[0]);
}

async function readReport(file: string): Promise<EvaluationReport> {
  return JSON.parse(await readFile(file, 'utf8')) as EvaluationReport;
}

describe('sen12ms-studio evaluate', () => {
  it('prints the headline numbers, groups with n and the predictions file', async () => {
    const csv = join(root, 'p.csv');
    const line = await evaluateLine([model, '--split', 'all', '--by', 'scene', '--predictions', csv]);
    const items = loadPatchItems(fx.catalog);
    expect(line).toMatchObject({ split: 'all', task: 'multi_label', n: items.length, predictions: csv, report: null, backend: 'wasm' });
    expect(typeof line.jaccard_samples).toBe('number');
    expect(line.groups).toHaveLength(new Set(items.map((it) => it.sceneKey)).size);
    expect(line.groups.reduce((s: number, g: { n: number }) => s + g.n, 0)).toBe(items.length);
    for (const g of line.groups) expect(typeof g.jaccard_samples).toBe('number');
    await access(csv);
  });

  it('--report writes every figure evaluate returns, per class and per group, as one JSON file', async () => {
    const dir = await mkdtemp(join(root, 'report-'));
    const file = join(dir, 'report.json');
    const line = await evaluateLine([model, '--split', 'all', '--by', 'season', '--report', file]);
    const report = await readReport(file);
    const result = await evaluate({ model, catalog: fx.catalog, split: 'all', by: 'season' });

    expect(line.report).toBe(file);
    expect(report).toMatchObject({
      format: 'sen12ms-studio.evaluation-report',
      version: 1,
      model,
      source: result.source,
      checkpoint: result.checkpoint,
      catalog: fx.catalog,
      split: 'all',
      spec: result.spec,
      by: 'season',
      predictions: null,
      backend: 'wasm',
    });
    expect(report.overall).toEqual(result.overall);
    expect(report.groups).toEqual(result.groups);
    expect(report.overall.per_class.map((c) => c.name)).toEqual(SIMPLIFIED_CLASSES);
    for (const g of report.groups!) expect(g.report!.per_class.map((c) => c.name)).toEqual(SIMPLIFIED_CLASSES);
    // The printed line is the report's headline, not other numbers.
    expect(line.jaccard_samples).toBe((report.overall as MultiLabelReport).jaccard_samples);
    // Written through a temporary file that is gone once the report is in place.
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('--report of a single-label model holds the confusion matrix and every class', async () => {
    const file = join(root, 'single.json');
    await evaluateLine([single, '--split', 'all', '--report', file]);
    const report = await readReport(file);
    const result = await evaluate({ model: single, catalog: fx.catalog, split: 'all' });
    expect(report.overall).toEqual(result.overall);
    expect(report.groups).toBeNull();
    const overall = report.overall as SingleLabelReport;
    expect(overall.per_class.map((c) => c.name)).toEqual(SIMPLIFIED_CLASSES);
    expect(overall.confusion_matrix).toHaveLength(SIMPLIFIED_CLASSES.length);
    for (const row of overall.confusion_matrix) expect(row).toHaveLength(SIMPLIFIED_CLASSES.length);
    expect(overall.confusion_matrix.flat().reduce((s, v) => s + v, 0)).toBe(overall.n);
  });

  it('--checkpoint step-N evaluates that checkpoint; the default is best', async () => {
    const atStep = await evaluateLine([model, '--split', 'all', '--checkpoint', 'step-7']);
    const best = await evaluateLine([model, '--split', 'all']);
    const last = await evaluateLine([model, '--split', 'all', '--checkpoint', 'last']);
    expect(atStep.checkpoint).toEqual(step7);
    expect(best.checkpoint).toMatchObject({ run: model, file: 'best.safetensors', step: 0, kind: 'best' });
    expect(last.checkpoint).toEqual({ ...step7, kind: 'last' });
    expect(atStep.jaccard_samples).not.toBe(best.jaccard_samples);
    expect(last.jaccard_samples).toBe(atStep.jaccard_samples);

    const report = join(root, 'step.json');
    await evaluateLine([model, '--split', 'all', '--checkpoint', 'step-7', '--report', report]);
    expect((await readReport(report)).checkpoint).toEqual(step7);
  });

  it('evaluates an exported model as its card names it, and refuses --checkpoint for one', async () => {
    expect((await evaluateLine([exported, '--split', 'all'])).checkpoint).toEqual(CARD_CHECKPOINT);
    captureStdout();
    const attempt = run([exported, '--catalog', fx.catalog, '--checkpoint', 'best', '--backend', 'wasm']);
    // The error names the folder and why no selector applies to it.
    await expect(attempt).rejects.toThrow(`${exported}: `);
    await expect(attempt).rejects.toThrow(/exported model holds one checkpoint; "best" applies to run directories only/);
  });

  it('names the missing checkpoint and what the run has', async () => {
    captureStdout();
    await expect(run([model, '--catalog', fx.catalog, '--checkpoint', 'step-3', '--backend', 'wasm'])).rejects.toThrow(
      /no checkpoint at step 3.*the run has step-7, best \(step 0\)/,
    );
  });

  it('refuses a report whose folder does not exist before evaluating anything', async () => {
    const file = join(root, 'no-such-folder', 'r.json');
    captureStdout();
    await expect(run([model, '--catalog', fx.catalog, '--report', file, '--backend', 'wasm'])).rejects.toThrow(
      `report ${file}: its folder ${join(root, 'no-such-folder')} is missing or not writable (ENOENT)`,
    );
  });

  it.each([
    [['m'], /--catalog <catalog.sqlite> is required/],
    [['--catalog', 'c.db'], /expected one model directory/],
    [['m', '--catalog', 'c.db', '--split', 'dev'], /--split must be one of test, val, train, all/],
    [['m', '--catalog', 'c.db', '--by', 'country'], /--by: expected scene, season or regions=<file.geojson>/],
    [['m', '--catalog', 'c.db', '--batch-size', '0'], /--batch-size must be at least 1/],
    [['m', '--catalog', 'c.db', '--checkpoint', 'step-x'], /--checkpoint: expected last, best or step-N, got "step-x"/],
  ])('refuses %j as a usage error (exit 2)', async (argv, message) => {
    captureStdout();
    const attempt = run(argv);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
