/**
 * Precision, recall and F-beta from confusion counts, with scikit-learn's zero_division=0: a
 * ratio whose denominator is 0 is 0 (sklearn's default "warn" gives the same numbers).
 */

/** Counts for one class (or one sample, for sample averaging); support is tp + fn. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Prf {
  precision: number;
  recall: number;
  /** F-beta for the beta asked for (F1 unless said otherwise). */
  f: number;
}

export type Average = 'macro' | 'micro' | 'weighted';

export function ratioOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * F-beta from precision and recall as sklearn 1.2 computes it (not from the counts), so results
 * agree to the last bits; 0 when both are 0.
 */
export function fBeta(precision: number, recall: number, beta: number): number {
  const b2 = beta * beta;
  const denominator = b2 * precision + recall;
  return denominator === 0 ? 0 : ((1 + b2) * precision * recall) / denominator;
}

export function prfOf(c: Counts, beta = 1): Prf {
  const precision = ratioOrZero(c.tp, c.tp + c.fp);
  const recall = ratioOrZero(c.tp, c.tp + c.fn);
  return { precision, recall, f: fBeta(precision, recall, beta) };
}

/** Mean of the per-item scores: sklearn's macro average over classes, or samples over rows. */
export function meanPrf(counts: readonly Counts[], beta = 1): Prf {
  const each = counts.map((c) => prfOf(c, beta));
  return {
    precision: mean(each.map((p) => p.precision)),
    recall: mean(each.map((p) => p.recall)),
    f: mean(each.map((p) => p.f)),
  };
}

export function averagePrf(counts: readonly Counts[], average: Average, beta = 1): Prf {
  if (average === 'macro') return meanPrf(counts, beta);
  if (average === 'micro') {
    const total = { tp: 0, fp: 0, fn: 0 };
    for (const c of counts) {
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
    }
    return prfOf(total, beta);
  }
  // weighted by support; with no support at all sklearn returns 0 for all three
  const weights = counts.map((c) => c.tp + c.fn);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  if (totalWeight === 0) return { precision: 0, recall: 0, f: 0 };
  const sum = { precision: 0, recall: 0, f: 0 };
  counts.forEach((c, i) => {
    const p = prfOf(c, beta);
    sum.precision += weights[i] * p.precision;
    sum.recall += weights[i] * p.recall;
    sum.f += weights[i] * p.f;
  });
  return {
    precision: sum.precision / totalWeight,
    recall: sum.recall / totalWeight,
    f: sum.f / totalWeight,
  };
}

export interface ClassScores extends Prf {
  support: number;
}

export function scoresWithSupport(counts: readonly Counts[], beta = 1): ClassScores[] {
  return counts.map((c) => ({ ...prfOf(c, beta), support: c.tp + c.fn }));
}
