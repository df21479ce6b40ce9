/**
 * Single-label (multi-class) metrics over class indices, defined as scikit-learn defines them.
 * Inputs are equal-length arrays of integer classes (checked by validate.ts at the edges).
 */
import { averagePrf, scoresWithSupport, type Average, type ClassScores, type Counts, type Prf } from './prf.js';

export function accuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/** Sorted union of the classes seen in either array: sklearn's default label set. */
export function labelsPresent(yTrue: readonly number[], yPred: readonly number[]): number[] {
  return [...new Set([...yTrue, ...yPred])].sort((a, b) => a - b);
}

/**
 * Rows are true classes, columns predicted classes, both in the order of `labels`; samples
 * whose true or predicted class is not in `labels` are left out, as in sklearn.
 */
export function confusionMatrix(
  yTrue: readonly number[],
  yPred: readonly number[],
  labels: readonly number[],
): number[][] {
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = index.get(yTrue[i]);
    const col = index.get(yPred[i]);
    if (row !== undefined && col !== undefined) matrix[row][col]++;
  }
  return matrix;
}

/**
 * sklearn's balanced_accuracy_score: the mean recall over the classes that occur in yTrue
 * (a class only predicted has no recall and is left out, not counted as 0).
 */
export function balancedAccuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  const counts = classCounts(yTrue, yPred, labelsPresent(yTrue, []));
  let sum = 0;
  for (const c of counts) sum += c.tp / (c.tp + c.fn);
  return sum / counts.length;
}

/** One-vs-rest counts per label, over all samples (a sample of another label is a negative). */
export function classCounts(
  yTrue: readonly number[],
  yPred: readonly number[],
  labels: readonly number[],
): Counts[] {
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (yTrue[i] === yPred[i]) {
      if (t !== undefined) counts[t].tp++;
      continue;
    }
    if (t !== undefined) counts[t].fn++;
    if (p !== undefined) counts[p].fp++;
  }
  return counts;
}

export interface PrfOptions {
  /** The classes to average over; sklearn's default (the union of both arrays) when absent. */
  labels?: readonly number[];
  beta?: number;
}

/** sklearn's precision_recall_fscore_support with an average and zero_division=0. */
export function precisionRecallF(
  yTrue: readonly number[],
  yPred: readonly number[],
  average: Average,
  options: PrfOptions = {},
): Prf {
  const labels = options.labels ?? labelsPresent(yTrue, yPred);
  return averagePrf(classCounts(yTrue, yPred, labels), average, options.beta ?? 1);
}

/** Precision, recall, F-beta and support of each class in `labels`. */
export function perClassScores(
  yTrue: readonly number[],
  yPred: readonly number[],
  labels: readonly number[],
  beta = 1,
): ClassScores[] {
  return scoresWithSupport(classCounts(yTrue, yPred, labels), beta);
}
