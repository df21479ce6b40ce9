/**
 * Precision-recall curves and per-class confusion (core/common/metrics) against scikit-learn
 * 1.2 (test/metrics/ref/sklearn_curves.py run by Debian's python; skipped where it lacks
 * sklearn), on random cases with ties, classes without positives and classes always present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { multilabelConfusion } from '../../core/common/metrics/class-confusion.js';
import { averagePrecisionOf, classIndicator, precisionRecallCurve } from '../../core/common/metrics/pr-curve.js';
import { Rng } from '../../core/util/rng.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./ref/sklearn_curves.py', import.meta.url));
const sklearnAvailable = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy, sklearn'], { stdio: 'ignore' }).status === 0;

const SEEDS = Array.from({ length: 40 }, (_, i) => i);

function curveCase(seed: number): { y_true: number[]; scores: number[] } {
  const rng = new Rng(seed).fork('curve');
  const n = 1 + rng.int(40);
  const rate = seed % 5 === 0 ? 0 : seed % 5 === 1 ? 1 : rng.next();
  const y_true = Array.from({ length: n }, () => (rng.next() < rate ? 1 : 0));
  // every other case in steps of 0.25, so many samples tie
  const scores = y_true.map((t) => (seed % 2 === 0 ? rng.int(5) / 4 : 0.3 * t + 0.7 * rng.next()));
  return { y_true, scores };
}

function confusionCase(seed: number): { y_true: number[][]; y_pred: number[][] } {
  const rng = new Rng(seed).fork('confusion');
  const k = 2 + rng.int(6);
  const n = 1 + rng.int(30);
  const row = () => Array.from({ length: k }, () => (rng.next() < 0.4 ? 1 : 0));
  return { y_true: Array.from({ length: n }, row), y_pred: Array.from({ length: n }, row) };
}

/** Indicator row -> the 1-based class set the app's predictions carry. */
const setOf = (row: number[]) => row.flatMap((v, j) => (v ? [j + 1] : []));

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, `${what}.length`).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `${what}[${i}]: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(1e-12));
}

describe('precisionRecallCurve', () => {
  it("gives sklearn's documented example", () => {
    const curve = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expectClose(curve.precision, [0.5, 2 / 3, 0.5, 1, 1], 'precision');
    expectClose(curve.recall, [1, 1, 0.5, 0.5, 0], 'recall');
    expectClose(curve.thresholds, [0.1, 0.35, 0.4, 0.8], 'thresholds');
    expect(averagePrecisionOf(curve)).toBeCloseTo(0.8333333333, 9);
  });

  it('puts tied samples in one point, and sets recall 1 where the class has no positive', () => {
    const tied = precisionRecallCurve([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.2]);
    expect(tied.thresholds).toEqual([0.2, 0.5]);
    expectClose(tied.precision, [0.5, 2 / 3, 1], 'precision');
    const none = precisionRecallCurve([0, 0], [0.9, 0.1]);
    expect(none.recall).toEqual([1, 1, 0]);
    expect(averagePrecisionOf(none)).toBe(0);
  });

  it('refuses mismatched lengths and NaN scores', () => {
    expect(() => precisionRecallCurve([1], [0.1, 0.2])).toThrow(/1 labels for 2 scores/);
    expect(() => precisionRecallCurve([1, 0], [0.1, Number.NaN])).toThrow(/score 1 is not a number/);
  });

  it("classIndicator marks the samples whose set holds the class", () => {
    expect(classIndicator([[1, 3], [], [3]], 3)).toEqual([1, 0, 1]);
  });
});

describe('multilabelConfusion', () => {
  it('counts [[tn, fp], [fn, tp]] per class', () => {
    expect(multilabelConfusion([[1], [1, 2], []], [[1, 2], [2], [2]], [1, 2])).toEqual([
      [[1, 0], [1, 1]],
      [[0, 2], [0, 1]],
    ]);
  });
});

describe.skipIf(!sklearnAvailable)('agreement with scikit-learn (skipped when /usr/bin/python3 lacks numpy or sklearn)', () => {
  const curves = SEEDS.map(curveCase);
  const confusions = SEEDS.map(confusionCase);
  let reference: { curves: { precision: number[]; recall: number[]; thresholds: number[]; ap: number }[]; confusion: number[][][][] };

  beforeAll(() => {
    const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ curves, confusion: confusions }), encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`reference script failed: ${run.stderr}`);
    reference = JSON.parse(run.stdout);
  });

  it.each(SEEDS)('curve seed %i', (seed) => {
    const c = curves[seed];
    const ref = reference.curves[seed];
    const curve = precisionRecallCurve(c.y_true, c.scores);
    expectClose(curve.precision, ref.precision, 'precision');
    expectClose(curve.recall, ref.recall, 'recall');
    expectClose(curve.thresholds, ref.thresholds, 'thresholds');
    expect(Math.abs(averagePrecisionOf(curve) - ref.ap)).toBeLessThanOrEqual(1e-12);
  });

  it.each(SEEDS)('confusion seed %i', (seed) => {
    const c = confusions[seed];
    const classes = c.y_true[0].map((_, j) => j + 1);
    expect(multilabelConfusion(c.y_true.map(setOf), c.y_pred.map(setOf), classes)).toEqual(reference.confusion[seed]);
  });
});
