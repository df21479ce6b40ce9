import { describe, expect, it } from 'vitest';
import {
  binarize,
  hammingLoss,
  jaccardSamples,
  multiLabelPrf,
  perLabelScores,
  subsetAccuracy,
} from '../../core/metrics/multi-label.js';
import { SCORES, Y_TRUE } from './four-samples.js';

// score >= 0.5:
const Y_PRED = [
  [1, 0, 0],
  [1, 1, 0],
  [0, 0, 0],
  [1, 1, 1],
];

describe('multi-label metrics, worked by hand', () => {
  it('thresholds at score >= 0.5 (0.5 itself is positive)', () => {
    expect(binarize(SCORES, 0.5)).toEqual(Y_PRED);
  });

  it('sample Jaccard: (1/2 + 1/2 + 0 + 2/3) / 4 = 5/12, the empty row scoring 0', () => {
    // row 0: {0,2} vs {0} -> 1/2; row 1: {1} vs {0,1} -> 1/2; row 2: empty vs empty -> 0/0 -> 0;
    // row 3: {0,1} vs {0,1,2} -> 2/3
    expect(jaccardSamples(Y_TRUE, Y_PRED)).toBeCloseTo(5 / 12, 12);
  });

  it('subset accuracy 1/4 (only the empty row matches exactly), Hamming loss 3/12', () => {
    expect(subsetAccuracy(Y_TRUE, Y_PRED)).toBe(1 / 4);
    expect(hammingLoss(Y_TRUE, Y_PRED)).toBe(3 / 12);
  });

  it('per label: 0 -> tp 2 fp 1 fn 0; 1 -> tp 2; 2 -> tp 0 fp 1 fn 1', () => {
    const s = perLabelScores(Y_TRUE, Y_PRED);
    expect(s.map((c) => c.support)).toEqual([2, 2, 1]);
    expect(s[0].precision).toBeCloseTo(2 / 3, 12);
    expect(s[0].recall).toBe(1);
    expect(s[0].f).toBeCloseTo(0.8, 12);
    expect(s[1]).toEqual({ precision: 1, recall: 1, f: 1, support: 2 });
    expect(s[2]).toEqual({ precision: 0, recall: 0, f: 0, support: 1 });
  });

  it('micro: tp 4, fp 2, fn 1 -> P 2/3, R 4/5, F1 8/11, F2 10/13', () => {
    const f1 = multiLabelPrf(Y_TRUE, Y_PRED, 'micro');
    expect(f1.precision).toBeCloseTo(2 / 3, 12);
    expect(f1.recall).toBeCloseTo(4 / 5, 12);
    expect(f1.f).toBeCloseTo(8 / 11, 12);
    // F2 = 5PR / (4P + R) = (8/3) / (52/15)
    expect(multiLabelPrf(Y_TRUE, Y_PRED, 'micro', 2).f).toBeCloseTo(10 / 13, 12);
  });

  it('macro F1 over all three labels: (0.8 + 1 + 0) / 3', () => {
    expect(multiLabelPrf(Y_TRUE, Y_PRED, 'macro').f).toBeCloseTo(0.6, 12);
  });

  it('samples F1: rows 2/3, 2/3, 0 (empty), 4/5 -> 8/15', () => {
    const p = multiLabelPrf(Y_TRUE, Y_PRED, 'samples');
    expect(p.f).toBeCloseTo(8 / 15, 12);
    // precision rows 1, 1/2, 0, 2/3; recall rows 1/2, 1, 0, 1
    expect(p.precision).toBeCloseTo((1 + 1 / 2 + 0 + 2 / 3) / 4, 12);
    expect(p.recall).toBeCloseTo((1 / 2 + 1 + 0 + 1) / 4, 12);
  });

  it('weighted by label support: (2*0.8 + 2*1 + 1*0) / 5', () => {
    expect(multiLabelPrf(Y_TRUE, Y_PRED, 'weighted').f).toBeCloseTo(3.6 / 5, 12);
  });
});
