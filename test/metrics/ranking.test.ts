import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  averagePrecisionPerLabel,
  coverageError,
  labelRankingAveragePrecision,
  labelRankingLoss,
  oneError,
} from '../../core/metrics/ranking.js';
import { SCORES, Y_TRUE } from './four-samples.js';

describe('average precision', () => {
  it('enters tied scores together: 1/3 * 1/2 + 1/3 * 1/2 + 1/3 * 3/5 = 8/15', () => {
    // by score: 0.8 {+, -}, 0.4 {-, +}, 0.2 {+}; 3 positives.
    // after 0.8: tp 1 of 2 seen, recall 1/3; after 0.4: tp 2 of 4, recall 2/3; after 0.2: tp 3 of 5.
    const y = [1, 0, 0, 1, 1];
    const s = [0.8, 0.8, 0.4, 0.4, 0.2];
    expect(averagePrecision(y, s)).toBeCloseTo(8 / 15, 12);
  });

  it('does not depend on the order of tied samples', () => {
    expect(averagePrecision([0, 1, 1, 0, 1], [0.8, 0.8, 0.4, 0.4, 0.2])).toBeCloseTo(8 / 15, 12);
  });

  it('is 1 when every positive outranks every negative, and 0 with no positive (sklearn >= 1.1)', () => {
    expect(averagePrecision([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])).toBe(1);
    expect(averagePrecision([0, 0, 0], [0.3, 0.2, 0.1])).toBe(0);
  });

  it('per label on the four-sample case: 1, 1, and 1/2 for label 2', () => {
    // label 2: scores 0.4 (+), 0.1, 0.2, 0.5: the negative at 0.5 comes first, so the positive
    // enters at precision 1/2
    expect(averagePrecisionPerLabel(Y_TRUE, SCORES)).toEqual([1, 1, 0.5]);
  });
});

describe('label ranking metrics on the four-sample case', () => {
  it('coverage error: rows 2, 1, 0 (no true label), 3 (the tie at 0.5 counts) -> 6/4', () => {
    expect(coverageError(Y_TRUE, SCORES)).toBe(1.5);
  });

  it('ranking loss: only row 3 has a wrong pair, true 0.5 vs false 0.5 (1 of 2 pairs) -> 1/8', () => {
    expect(labelRankingLoss(Y_TRUE, SCORES)).toBe(1 / 8);
  });

  it('label ranking AP: rows 1, 1, 1 (no true label), (1 + 2/3) / 2 -> 23/24', () => {
    // row 3: label 1 at 0.5 has rank 3 (0.8, 0.5, 0.5) with 2 true labels at or above it
    expect(labelRankingAveragePrecision(Y_TRUE, SCORES)).toBeCloseTo(23 / 24, 12);
  });

  it('one-error: only the row without true labels misses -> 1/4', () => {
    expect(oneError(Y_TRUE, SCORES)).toBe(1 / 4);
  });

  it('one-error takes the first of tied top scores, like numpy argmax', () => {
    expect(oneError([[0, 1, 0]], [[0.5, 0.5, 0.1]])).toBe(1);
    expect(oneError([[1, 0, 0]], [[0.5, 0.5, 0.1]])).toBe(0);
  });

  it('rows whose labels are all true: ranking loss 0, label ranking AP 1, coverage K', () => {
    const all = [[1, 1, 1]];
    const s = [[0.1, 0.9, 0.4]];
    expect(labelRankingLoss(all, s)).toBe(0);
    expect(labelRankingAveragePrecision(all, s)).toBe(1);
    expect(coverageError(all, s)).toBe(3);
  });
});
