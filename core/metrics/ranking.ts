/**
 * Metrics on label scores (probabilities or logits; only their order matters), defined as
 * scikit-learn 1.2 defines them. Ties are resolved the way sklearn resolves them: every label
 * tied with another gets the worst rank of the group.
 */
import { averagePrecisionOf, precisionRecallCurve } from '../common/metrics/pr-curve.js';
import type { LabelMatrix } from './multi-label.js';
import { mean } from './prf.js';

/**
 * sklearn's average_precision_score for one binary column: the precision-recall curve's
 * precision times each recall step (common/metrics/pr-curve.ts, which the results view draws).
 * With no positive sample sklearn (since 1.1) sets recall to 1 everywhere, which makes AP 0.
 */
export function averagePrecision(yTrue: readonly number[], scores: readonly number[]): number {
  return averagePrecisionOf(precisionRecallCurve(yTrue, scores));
}

function column(matrix: LabelMatrix, j: number): number[] {
  return matrix.map((row) => row[j]);
}

/**
 * AP of each label. sklearn's average_precision_score(average='macro') is the plain mean of
 * these, so a label with no positive sample counts 0 rather than being skipped.
 */
export function averagePrecisionPerLabel(yTrue: LabelMatrix, scores: LabelMatrix): number[] {
  return yTrue[0].map((_, j) => averagePrecision(column(yTrue, j), column(scores, j)));
}

/**
 * sklearn's coverage_error: how many labels, best score first and ties counted in full, must be
 * taken to include every true label; a row with no true label counts 0.
 */
export function coverageError(yTrue: LabelMatrix, scores: LabelMatrix): number {
  return mean(
    yTrue.map((row, i) => {
      if (!row.some((t) => t)) return 0;
      let lowestTrue = Infinity;
      row.forEach((t, j) => {
        if (t && scores[i][j] < lowestTrue) lowestTrue = scores[i][j];
      });
      return scores[i].filter((s) => s >= lowestTrue).length;
    }),
  );
}

/**
 * sklearn's label_ranking_loss: per row, the fraction of (true, false) label pairs in which the
 * false label scores at least as high as the true one; 0 for a row whose labels are all true or
 * all false.
 */
export function labelRankingLoss(yTrue: LabelMatrix, scores: LabelMatrix): number {
  return mean(
    yTrue.map((row, i) => {
      const s = scores[i];
      let pos = 0;
      let wrong = 0;
      row.forEach((t, j) => {
        if (!t) return;
        pos++;
        row.forEach((u, k) => {
          if (!u && s[k] >= s[j]) wrong++;
        });
      });
      const neg = row.length - pos;
      return pos === 0 || neg === 0 ? 0 : wrong / (pos * neg);
    }),
  );
}

/**
 * sklearn's label_ranking_average_precision_score: per row, the mean over true labels j of
 * (true labels scoring >= s_j) / (labels scoring >= s_j); 1 for a row whose labels are all true
 * or all false.
 */
export function labelRankingAveragePrecision(yTrue: LabelMatrix, scores: LabelMatrix): number {
  return mean(
    yTrue.map((row, i) => {
      const s = scores[i];
      const relevant = row.flatMap((t, j) => (t ? [j] : []));
      if (relevant.length === 0 || relevant.length === row.length) return 1;
      let sum = 0;
      for (const j of relevant) {
        const rank = s.filter((v) => v >= s[j]).length;
        const above = relevant.filter((k) => s[k] >= s[j]).length;
        sum += above / rank;
      }
      return sum / relevant.length;
    }),
  );
}

/**
 * One-error as the SEN12MS reference code computes it (sklearn has none): the fraction of rows
 * whose top-scored label (the first one on ties, like numpy's argmax) is not a true label. A row
 * with no true label always counts as an error.
 */
export function oneError(yTrue: LabelMatrix, scores: LabelMatrix): number {
  return mean(
    yTrue.map((row, i) => {
      const s = scores[i];
      let top = 0;
      for (let j = 1; j < s.length; j++) if (s[j] > s[top]) top = j;
      return row[top] ? 0 : 1;
    }),
  );
}
