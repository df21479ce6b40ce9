/**
 * Per-class precision-recall curves of an evaluation, from the probabilities it recorded per
 * patch (results.predictions), and their SVG polylines on fixed [0, 1] axes. The curve itself is
 * common/metrics/pr-curve.ts (scikit-learn's precision_recall_curve), the one the reports' AP uses.
 */
import { averagePrecisionOf, classIndicator, precisionRecallCurve, type PrCurve } from '#common/metrics/pr-curve.js';

export interface ClassCurve {
  name: string;
  curve: PrCurve;
  /** Average precision (sklearn's average_precision_score of this class). */
  ap: number;
  /** Patches whose true labels hold the class; 0 makes the curve meaningless (recall 1 everywhere). */
  positives: number;
}

/** One curve per class name, class k + 1 (the app's 1-based classes) scored by `scores[k]`. */
export function classCurves(patches: readonly { trueLabels: readonly number[]; scores: readonly number[] }[], names: readonly string[]): ClassCurve[] {
  if (patches.length === 0) return [];
  const truth = patches.map((p) => p.trueLabels);
  return names.map((name, k) => {
    const yTrue = classIndicator(truth, k + 1);
    const curve = precisionRecallCurve(yTrue, patches.map((p) => p.scores[k]));
    return { name, curve, ap: averagePrecisionOf(curve), positives: yTrue.reduce((a, b) => a + b, 0) };
  });
}

export interface PlotBox {
  size: number;
  pad: number;
}

/**
 * The `points` of an SVG polyline, recall along x and precision up y, both 0..1; points that land
 * on the same tenth of a pixel as the one before are dropped, so a curve over thousands of
 * thresholds stays a few hundred points.
 */
export function prPolyline(curve: PrCurve, box: PlotBox): string {
  const span = box.size - 2 * box.pad;
  const out: string[] = [];
  let last = '';
  curve.recall.forEach((r, i) => {
    const point = `${round(box.pad + r * span)},${round(box.pad + (1 - curve.precision[i]) * span)}`;
    if (point !== last) out.push(point);
    last = point;
  });
  return out.join(' ');
}

const round = (v: number) => Math.round(v * 10) / 10;
