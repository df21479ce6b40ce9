/**
 * Precision-recall curves as scikit-learn 1.2's precision_recall_curve computes them, for one
 * class against the rest: one point per distinct score (samples tied in score enter together),
 * recall decreasing, and the final (recall 0, precision 1) point that has no threshold. Here
 * rather than in core/metrics so the results view draws from the same function the reports use.
 */

export interface PrCurve {
  /** One more entry than thresholds; the last is 1. */
  precision: number[];
  /** Decreasing; the last is 0. With no positive sample, 1 at every threshold (as sklearn). */
  recall: number[];
  /** Distinct scores, increasing. */
  thresholds: number[];
}

/** `yTrue` is 1 (or true) for the class, 0 otherwise; `scores` the class's probability or logit. */
export function precisionRecallCurve(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>): PrCurve {
  const n = scores.length;
  if (yTrue.length !== n) throw new Error(`precisionRecallCurve: ${yTrue.length} labels for ${n} scores`);
  if (n === 0) throw new Error('precisionRecallCurve: no samples');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[order[i]])) throw new Error(`precisionRecallCurve: score ${order[i]} is not a number`);
    tp += yTrue[order[i]] ? 1 : 0;
    const endOfTies = i === n - 1 || scores[order[i + 1]] !== scores[order[i]];
    if (!endOfTies) continue;
    tps.push(tp);
    fps.push(i + 1 - tp);
    thresholds.push(scores[order[i]]);
  }
  const positives = tp;
  const precision = tps.map((t, k) => (t + fps[k] === 0 ? 0 : t / (t + fps[k])));
  const recall = tps.map((t) => (positives === 0 ? 1 : t / positives));
  return { precision: [...precision.reverse(), 1], recall: [...recall.reverse(), 0], thresholds: thresholds.reverse() };
}

/** sklearn's average_precision_score from a curve: the sum of precision times each recall step. */
export function averagePrecisionOf(curve: PrCurve): number {
  let ap = 0;
  for (let k = 0; k + 1 < curve.recall.length; k++) ap += (curve.recall[k] - curve.recall[k + 1]) * curve.precision[k];
  return ap;
}

/** Column `k` of row-major per-sample class rows: 1 where the row holds the class. */
export function classIndicator(labels: readonly (readonly number[])[], k: number): number[] {
  return labels.map((row) => (row.includes(k) ? 1 : 0));
}
