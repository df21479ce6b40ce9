/**
 * Random cases, scored here and by scikit-learn (test/metrics/ref/sklearn_metrics.py run by
 * Debian's python), must agree to 1e-9 on every metric. The cases are built to hit the edges:
 * classes missing from y_true or y_pred, rows with no label or every label, tied scores and
 * scores exactly on the threshold.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { confusionMatrix, precisionRecallF } from '../../core/metrics/single-label.js';
import { multiLabelReport, singleLabelReport } from '../../core/metrics/report.js';
import { Rng } from '../../core/util/rng.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./ref/sklearn_metrics.py', import.meta.url));
const sklearnAvailable =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy, sklearn'], { stdio: 'ignore' }).status === 0;

const SEEDS = Array.from({ length: 60 }, (_, i) => i);

interface SingleCase {
  y_true: number[];
  y_pred: number[];
  num_classes: number;
  label_subset: number[];
}

interface MultiCase {
  y_true: number[][];
  scores: number[][];
  threshold: number;
}

/** A random non-empty subset of 0..k-1, so some classes never occur. */
function someClasses(rng: Rng, k: number): number[] {
  const chosen = Array.from({ length: k }, (_, c) => c).filter(() => rng.next() < 0.7);
  return chosen.length > 0 ? chosen : [rng.int(k)];
}

function singleCase(seed: number): SingleCase {
  const rng = new Rng(seed).fork('single');
  const k = 2 + rng.int(6);
  const n = 1 + rng.int(40);
  const trueClasses = someClasses(rng, k);
  const predClasses = someClasses(rng, k);
  const pick = (classes: number[]) => classes[rng.int(classes.length)];
  const y_true = Array.from({ length: n }, () => pick(trueClasses));
  const y_pred = y_true.map((t) => (rng.next() < 0.5 && predClasses.includes(t) ? t : pick(predClasses)));
  // sklearn's confusion_matrix wants at least one of the labels in y_true
  const label_subset = [...new Set([y_true[0], ...someClasses(rng, k)])].sort((a, b) => a - b);
  return { y_true, y_pred, num_classes: k, label_subset };
}

function multiCase(seed: number): MultiCase {
  const rng = new Rng(seed).fork('multi');
  const k = 2 + rng.int(6);
  const n = 1 + rng.int(30);
  const columnRate = Array.from({ length: k }, () => (rng.next() < 0.2 ? 0 : rng.next()));
  const y_true = Array.from({ length: n }, () => {
    const kind = rng.next();
    if (kind < 0.15) return new Array<number>(k).fill(0);
    if (kind < 0.25) return new Array<number>(k).fill(1);
    return columnRate.map((rate) => (rng.next() < rate ? 1 : 0));
  });
  const style = seed % 4;
  // logits with threshold 0 in one style in four; otherwise probabilities with threshold 0.5
  const threshold = style === 3 ? 0 : 0.5;
  const scores = y_true.map((row) =>
    row.map((t) => {
      if (style === 0) return rng.next();
      if (style === 1) return rng.int(5) / 4; // many ties, and 0.5 on the threshold
      if (style === 2) return Math.round((0.4 * t + 0.6 * rng.next()) * 10) / 10;
      return Math.round((rng.normal() + t) * 2) / 2;
    }),
  );
  return { y_true, scores, threshold };
}

function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (typeof expected === 'object' && expected !== null) {
    for (const [key, e] of Object.entries(expected)) {
      expectClose((actual as Record<string, unknown>)[key], e, `${path}.${key}`);
    }
  } else {
    expect(typeof actual, path).toBe('number');
    const difference = Math.abs((actual as number) - (expected as number));
    expect(difference, `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9);
  }
}

/** Report fields that are not metrics, so sklearn has nothing to say about them. */
const NOT_METRICS = ['task', 'n', 'threshold'];

const TITLE = 'agreement with scikit-learn (skipped when /usr/bin/python3 lacks numpy or sklearn)';

describe.skipIf(!sklearnAvailable)(TITLE, () => {
  const singles = SEEDS.map(singleCase);
  const multis = SEEDS.map(multiCase);
  let reference: { single: Record<string, unknown>[]; multi: Record<string, unknown>[] };

  beforeAll(() => {
    const run = spawnSync(PYTHON, [SCRIPT], {
      input: JSON.stringify({ single: singles, multi: multis }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`reference script failed: ${run.stderr}`);
    reference = JSON.parse(run.stdout);
  });

  it('the cases reach the edges they are meant to', () => {
    const missingTrue = singles.filter((c) => new Set(c.y_true).size < c.num_classes).length;
    const predOnly = singles.filter((c) => c.y_pred.some((p) => !c.y_true.includes(p))).length;
    const emptyRows = multis.filter((c) => c.y_true.some((r) => r.every((v) => v === 0))).length;
    const fullRows = multis.filter((c) => c.y_true.some((r) => r.every((v) => v === 1))).length;
    const noPositives = multis.filter((c) => c.y_true[0].some((_, j) => c.y_true.every((r) => r[j] === 0))).length;
    const ties = multis.filter((c) => c.scores.flat().length > new Set(c.scores.flat()).size).length;
    const onThreshold = multis.filter((c) => c.scores.flat().includes(c.threshold)).length;
    for (const count of [missingTrue, predOnly, emptyRows, fullRows, noPositives, ties, onThreshold]) {
      expect(count).toBeGreaterThanOrEqual(5);
    }
  });

  it.each(SEEDS)('single-label seed %i', (seed) => {
    const c = singles[seed];
    const ref = reference.single[seed];
    const names = Array.from({ length: c.num_classes }, (_, i) => `class ${i}`);
    const report = singleLabelReport(c.y_true, c.y_pred, names);
    const { subset_micro, subset_macro_f2, confusion_matrix_subset, ...reportRef } = ref;
    expect(Object.keys(report).filter((key) => !NOT_METRICS.includes(key)).sort()).toEqual(
      Object.keys(reportRef).sort(),
    );
    expectClose(report, reportRef, 'report');
    const labels = c.label_subset;
    expectClose(precisionRecallF(c.y_true, c.y_pred, 'micro', { labels }), subset_micro, 'micro over labels');
    expectClose(precisionRecallF(c.y_true, c.y_pred, 'macro', { labels, beta: 2 }), subset_macro_f2, 'macro F2');
    expectClose(confusionMatrix(c.y_true, c.y_pred, labels), confusion_matrix_subset, 'confusion over labels');
  });

  it.each(SEEDS)('multi-label seed %i', (seed) => {
    const c = multis[seed];
    const ref = reference.multi[seed];
    const names = c.y_true[0].map((_, i) => `class ${i}`);
    const report = multiLabelReport(c.y_true, c.scores, c.threshold, names);
    expect(Object.keys(report).filter((key) => !NOT_METRICS.includes(key)).sort()).toEqual(Object.keys(ref).sort());
    expectClose(report, ref, 'report');
  });
});
