import { describe, expect, it } from 'vitest';
import { multiLabelReport, singleLabelReport } from '../../core/metrics/report.js';
import { SCORES, Y_TRUE } from './four-samples.js';

const NAMES3 = ['forest', 'grassland', 'water'];

describe('singleLabelReport', () => {
  // the three-class case of single-label.test.ts, plus an unseen fourth class
  const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
  const yPred = [0, 0, 1, 1, 2, 2, 2, 0];
  const names = [...NAMES3, 'snow'];

  it('lists every class but averages over the classes seen, like sklearn', () => {
    const r = singleLabelReport(yTrue, yPred, names);
    expect(r.task).toBe('single_label');
    expect(r.n).toBe(8);
    expect(r.overall_accuracy).toBe(5 / 8);
    expect(r.average_accuracy).toBeCloseTo(11 / 18, 12);
    expect(r.f1_macro).toBeCloseTo(11 / 18, 12); // not (11/6) / 4
    expect(r.f1_micro).toBeCloseTo(5 / 8, 12);
    expect(r.per_class.map((c) => [c.name, c.support])).toEqual([
      ['forest', 3],
      ['grassland', 2],
      ['water', 3],
      ['snow', 0],
    ]);
    expect(r.confusion_matrix).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('survives a JSON round trip unchanged (no NaN, no undefined)', () => {
    const r = singleLabelReport([1, 1], [0, 0], names);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('names the field of a bad input', () => {
    expect(() => singleLabelReport([0, 4], [0, 1], names)).toThrow('y_true[1]: expected a class index in 0..3, got 4');
    expect(() => singleLabelReport([0, 1], [0, 1.5], names)).toThrow('y_pred[1]');
    expect(() => singleLabelReport([0, 1], [0], names)).toThrow('y_pred: expected 2 samples, got 1');
    expect(() => singleLabelReport([], [], names)).toThrow('y_true: no samples');
    expect(() => singleLabelReport([0], [0], [])).toThrow('class_names');
  });
});

describe('multiLabelReport', () => {
  it('gathers the hand-worked figures under their field names', () => {
    const r = multiLabelReport(Y_TRUE, SCORES, 0.5, NAMES3);
    expect(r.task).toBe('multi_label');
    expect(r.threshold).toBe(0.5);
    expect(r.jaccard_samples).toBeCloseTo(5 / 12, 12);
    expect(r.subset_accuracy).toBe(1 / 4);
    expect(r.hamming_loss).toBe(1 / 4);
    expect(r.f1_micro).toBeCloseTo(8 / 11, 12);
    expect(r.f2_micro).toBeCloseTo(10 / 13, 12);
    expect(r.f1_macro).toBeCloseTo(0.6, 12);
    expect(r.f1_samples).toBeCloseTo(8 / 15, 12);
    expect(r.map_macro).toBeCloseTo(5 / 6, 12);
    expect(r.coverage_error).toBe(1.5);
    expect(r.one_error).toBe(1 / 4);
    expect(r.per_class.map((c) => [c.name, c.support, c.average_precision])).toEqual([
      ['forest', 2, 1],
      ['grassland', 2, 1],
      ['water', 1, 0.5],
    ]);
  });

  it('a higher threshold predicts fewer labels', () => {
    // at 0.85 only row 0, label 0 is predicted: tp 1, fp 0, fn 4
    const r = multiLabelReport(Y_TRUE, SCORES, 0.85, NAMES3);
    expect(r.precision_micro).toBe(1);
    expect(r.recall_micro).toBe(1 / 5);
  });

  it('survives a JSON round trip unchanged', () => {
    const r = multiLabelReport([[0, 0, 0]], [[0.1, 0.2, 0.3]], 0.5, NAMES3);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('names the field of a bad input', () => {
    expect(() => multiLabelReport([[0, 2, 0]], [[0, 0, 0]], 0.5, NAMES3)).toThrow('y_true[0][1]: expected 0 or 1, got 2');
    expect(() => multiLabelReport([[0, 1, 0]], [[0, NaN, 0]], 0.5, NAMES3)).toThrow(
      'scores[0][1]: expected a finite number, got NaN',
    );
    expect(() => multiLabelReport([[0, 1]], [[0, 0]], 0.5, NAMES3)).toThrow(
      'y_true[0]: expected 3 values (one per class), got 2',
    );
    expect(() => multiLabelReport([[0, 1, 0]], [[0, 0, 0]], NaN, NAMES3)).toThrow('threshold');
  });
});
