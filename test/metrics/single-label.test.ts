import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  labelsPresent,
  perClassScores,
  precisionRecallF,
} from '../../core/metrics/single-label.js';

// Three classes, eight samples:
//   true 0: predicted 0, 0, 1   -> row [2, 1, 0]
//   true 1: predicted 1, 2      -> row [0, 1, 1]
//   true 2: predicted 2, 2, 0   -> row [1, 0, 2]
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
const yPred = [0, 0, 1, 1, 2, 2, 2, 0];

describe('single-label metrics, worked by hand', () => {
  it('confusion matrix has true classes in rows and predictions in columns', () => {
    expect(confusionMatrix(yTrue, yPred, [0, 1, 2])).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
  });

  it('confusion matrix follows the label order given and drops other labels', () => {
    // labels [2, 0]: samples of class 1 (true or predicted) are left out
    expect(confusionMatrix(yTrue, yPred, [2, 0])).toEqual([
      [2, 1],
      [0, 2],
    ]);
  });

  it('accuracy is the diagonal over n: 5/8', () => {
    expect(accuracy(yTrue, yPred)).toBe(5 / 8);
  });

  it('per class: class 0 tp 2 fp 1 fn 1, class 1 tp 1 fp 1 fn 1, class 2 tp 2 fp 1 fn 1', () => {
    const scores = perClassScores(yTrue, yPred, [0, 1, 2]);
    expect(scores.map((s) => s.support)).toEqual([3, 2, 3]);
    [2 / 3, 1 / 2, 2 / 3].forEach((v, i) => {
      expect(scores[i].precision).toBeCloseTo(v, 12);
      expect(scores[i].recall).toBeCloseTo(v, 12);
      expect(scores[i].f).toBeCloseTo(v, 12);
    });
  });

  it('macro F1 = (2/3 + 1/2 + 2/3) / 3 = 11/18; micro = accuracy; weighted = (3*2/3 + 2*1/2 + 3*2/3) / 8', () => {
    expect(precisionRecallF(yTrue, yPred, 'macro').f).toBeCloseTo(11 / 18, 12);
    const micro = precisionRecallF(yTrue, yPred, 'micro');
    expect(micro.precision).toBeCloseTo(5 / 8, 12);
    expect(micro.recall).toBeCloseTo(5 / 8, 12);
    expect(micro.f).toBeCloseTo(5 / 8, 12);
    expect(precisionRecallF(yTrue, yPred, 'weighted').f).toBeCloseTo(5 / 8, 12);
  });

  it('micro over a label subset counts only those labels: labels [0, 1] -> tp 3, fp 2, fn 2', () => {
    const p = precisionRecallF(yTrue, yPred, 'micro', { labels: [0, 1] });
    expect(p.precision).toBeCloseTo(3 / 5, 12);
    expect(p.recall).toBeCloseTo(3 / 5, 12);
  });

  it('F2 weighs recall: class 0 with P = 1, R = 1/2 gives 5 * 1/2 / (4 + 1/2) = 5/9', () => {
    // one class-0 sample right, one predicted as 1: P(0) = 1/1, R(0) = 1/2
    const p = precisionRecallF([0, 0], [0, 1], 'macro', { labels: [0], beta: 2 });
    expect(p.f).toBeCloseTo(5 / 9, 12);
  });

  it('balanced accuracy is the mean recall over classes in y_true: (2/3 + 1/2 + 2/3) / 3', () => {
    expect(balancedAccuracy(yTrue, yPred)).toBeCloseTo(11 / 18, 12);
  });
});

describe('classes missing from a batch', () => {
  // class 2 is only predicted, class 3 never appears
  const t = [0, 0, 1];
  const p = [0, 2, 1];

  it('the default label set is the union of y_true and y_pred', () => {
    expect(labelsPresent(t, p)).toEqual([0, 1, 2]);
  });

  it('macro F1 averages over that union; class 2 has P = 0 (0 of 1) and R = 0/0 -> 0', () => {
    // class 0: P 1/1, R 1/2, F 2/3; class 1: 1, 1, 1; class 2: 0, 0, 0
    expect(precisionRecallF(t, p, 'macro').f).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
  });

  it('balanced accuracy leaves out a class that is only predicted: (1/2 + 1) / 2', () => {
    expect(balancedAccuracy(t, p)).toBeCloseTo(0.75, 12);
  });

  it('a class absent from both arrays gets zeros and support 0 when asked for', () => {
    expect(perClassScores(t, p, [3])).toEqual([{ precision: 0, recall: 0, f: 0, support: 0 }]);
  });

  it('weighted average with no support among the labels is 0, as in sklearn', () => {
    expect(precisionRecallF(t, p, 'weighted', { labels: [2, 3] })).toEqual({ precision: 0, recall: 0, f: 0 });
  });
});
