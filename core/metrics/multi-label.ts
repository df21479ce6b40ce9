/**
 * Multi-label metrics over n x K indicator matrices (rows are samples, 1 = label present),
 * defined as scikit-learn defines them, with zero_division=0. Inputs are checked by validate.ts
 * at the edges.
 */
import {
  averagePrf,
  mean,
  meanPrf,
  ratioOrZero,
  scoresWithSupport,
  type Average,
  type ClassScores,
  type Counts,
  type Prf,
} from './prf.js';

export type LabelMatrix = readonly (readonly number[])[];

/** 1 where score >= threshold, as the SEN12MS reference code thresholds its sigmoid outputs. */
export function binarize(scores: LabelMatrix, threshold: number): number[][] {
  return scores.map((row) => row.map((s) => (s >= threshold ? 1 : 0)));
}

function countsOf(t: number, p: number, c: Counts): void {
  if (t && p) c.tp++;
  else if (p) c.fp++;
  else if (t) c.fn++;
}

/** Counts per label (column). */
export function labelCounts(yTrue: LabelMatrix, yPred: LabelMatrix): Counts[] {
  const k = yTrue[0].length;
  const counts = Array.from({ length: k }, () => ({ tp: 0, fp: 0, fn: 0 }));
  for (let i = 0; i < yTrue.length; i++) {
    for (let j = 0; j < k; j++) countsOf(yTrue[i][j], yPred[i][j], counts[j]);
  }
  return counts;
}

/** Counts per sample (row). */
export function sampleCounts(yTrue: LabelMatrix, yPred: LabelMatrix): Counts[] {
  return yTrue.map((row, i) => {
    const c = { tp: 0, fp: 0, fn: 0 };
    for (let j = 0; j < row.length; j++) countsOf(row[j], yPred[i][j], c);
    return c;
  });
}

export type MultiLabelAverage = Average | 'samples';

/**
 * sklearn's precision_recall_fscore_support for indicator matrices. Macro averages over all K
 * labels, so a label absent from both matrices counts as 0; samples averages over rows, so a
 * row with no true and no predicted label counts as 0.
 */
export function multiLabelPrf(yTrue: LabelMatrix, yPred: LabelMatrix, average: MultiLabelAverage, beta = 1): Prf {
  if (average === 'samples') return meanPrf(sampleCounts(yTrue, yPred), beta);
  return averagePrf(labelCounts(yTrue, yPred), average, beta);
}

/**
 * sklearn's jaccard_score(average='samples'): mean over rows of |true AND pred| / |true OR pred|;
 * a row with both sets empty scores 0 (zero_division=0). The research calls it overall accuracy.
 */
export function jaccardSamples(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  return mean(sampleCounts(yTrue, yPred).map((c) => ratioOrZero(c.tp, c.tp + c.fp + c.fn)));
}

/** Fraction of the n x K entries that differ. */
export function hammingLoss(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  const wrong = sampleCounts(yTrue, yPred).reduce((sum, c) => sum + c.fp + c.fn, 0);
  return wrong / (yTrue.length * yTrue[0].length);
}

/** Fraction of rows predicted exactly (sklearn's accuracy_score on indicator matrices). */
export function subsetAccuracy(yTrue: LabelMatrix, yPred: LabelMatrix): number {
  return sampleCounts(yTrue, yPred).filter((c) => c.fp === 0 && c.fn === 0).length / yTrue.length;
}

/** Precision, recall, F-beta and support of each label. */
export function perLabelScores(yTrue: LabelMatrix, yPred: LabelMatrix, beta = 1): ClassScores[] {
  return scoresWithSupport(labelCounts(yTrue, yPred), beta);
}
