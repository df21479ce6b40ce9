/**
 * The metrics of one evaluation as a plain JSON object with stable snake_case field names, for
 * metrics.jsonl and the UI. Every value is a finite number, so the object survives JSON.
 */
import {
  binarize,
  hammingLoss,
  jaccardSamples,
  multiLabelPrf,
  perLabelScores,
  subsetAccuracy,
  type LabelMatrix,
  type MultiLabelAverage,
} from './multi-label.js';
import { mean, type Average } from './prf.js';
import {
  averagePrecisionPerLabel,
  coverageError,
  labelRankingAveragePrecision,
  labelRankingLoss,
  oneError,
} from './ranking.js';
import {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  perClassScores,
  precisionRecallF,
} from './single-label.js';
import {
  checkClassNames,
  checkClasses,
  checkIndicators,
  checkSampleCount,
  checkScores,
  checkThreshold,
} from './validate.js';

export interface ClassReport {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface SingleLabelReport {
  task: 'single_label';
  n: number;
  overall_accuracy: number;
  /** Mean recall over the classes present in y_true (sklearn's balanced accuracy). */
  average_accuracy: number;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  precision_micro: number;
  recall_micro: number;
  f1_micro: number;
  precision_weighted: number;
  recall_weighted: number;
  f1_weighted: number;
  /** One entry per class name, in class order. */
  per_class: ClassReport[];
  /** Rows true class, columns predicted class, both in per_class order. */
  confusion_matrix: number[][];
}

export interface MultiLabelClassReport extends ClassReport {
  average_precision: number;
}

export interface MultiLabelReport {
  task: 'multi_label';
  n: number;
  threshold: number;
  /** Sample-averaged Jaccard index: the research's multi-label "overall accuracy". */
  jaccard_samples: number;
  subset_accuracy: number;
  hamming_loss: number;
  precision_micro: number;
  recall_micro: number;
  f1_micro: number;
  f2_micro: number;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  f2_macro: number;
  precision_samples: number;
  recall_samples: number;
  f1_samples: number;
  f2_samples: number;
  /** Mean AP over all labels; a label without positives counts 0, as in sklearn. */
  map_macro: number;
  one_error: number;
  coverage_error: number;
  ranking_loss: number;
  label_ranking_average_precision: number;
  per_class: MultiLabelClassReport[];
}

/**
 * yTrue and yPred are class indices into classNames. The averaged precision, recall and F1 use
 * sklearn's default label set (classes seen in either array), so classes absent from a small
 * group do not drag the macro figures down; per_class and the confusion matrix list every class.
 */
export function singleLabelReport(
  yTrue: readonly number[],
  yPred: readonly number[],
  classNames: readonly string[],
): SingleLabelReport {
  checkClassNames(classNames);
  checkSampleCount('y_true', yTrue);
  checkSampleCount('y_pred', yPred, yTrue.length);
  checkClasses('y_true', yTrue, classNames.length);
  checkClasses('y_pred', yPred, classNames.length);

  const averaged = (average: Average) => precisionRecallF(yTrue, yPred, average);
  const macro = averaged('macro');
  const micro = averaged('micro');
  const weighted = averaged('weighted');
  const allClasses = classNames.map((_, i) => i);
  return {
    task: 'single_label',
    n: yTrue.length,
    overall_accuracy: accuracy(yTrue, yPred),
    average_accuracy: balancedAccuracy(yTrue, yPred),
    precision_macro: macro.precision,
    recall_macro: macro.recall,
    f1_macro: macro.f,
    precision_micro: micro.precision,
    recall_micro: micro.recall,
    f1_micro: micro.f,
    precision_weighted: weighted.precision,
    recall_weighted: weighted.recall,
    f1_weighted: weighted.f,
    per_class: perClassScores(yTrue, yPred, allClasses).map((s, i) => ({
      name: classNames[i],
      precision: s.precision,
      recall: s.recall,
      f1: s.f,
      support: s.support,
    })),
    confusion_matrix: confusionMatrix(yTrue, yPred, allClasses),
  };
}

/**
 * yTrue is an n x K indicator matrix, scores n x K (probabilities, or any monotone score when
 * threshold is chosen to match); a label is predicted when its score >= threshold.
 */
export function multiLabelReport(
  yTrue: LabelMatrix,
  scores: LabelMatrix,
  threshold: number,
  classNames: readonly string[],
): MultiLabelReport {
  checkClassNames(classNames);
  checkThreshold(threshold);
  checkSampleCount('y_true', yTrue);
  checkSampleCount('scores', scores, yTrue.length);
  checkIndicators('y_true', yTrue, classNames.length);
  checkScores('scores', scores, classNames.length);

  const yPred = binarize(scores, threshold);
  const averaged = (average: MultiLabelAverage) => {
    const f1 = multiLabelPrf(yTrue, yPred, average, 1);
    return { ...f1, f2: multiLabelPrf(yTrue, yPred, average, 2).f };
  };
  const micro = averaged('micro');
  const macro = averaged('macro');
  const samples = averaged('samples');
  const ap = averagePrecisionPerLabel(yTrue, scores);
  return {
    task: 'multi_label',
    n: yTrue.length,
    threshold,
    jaccard_samples: jaccardSamples(yTrue, yPred),
    subset_accuracy: subsetAccuracy(yTrue, yPred),
    hamming_loss: hammingLoss(yTrue, yPred),
    precision_micro: micro.precision,
    recall_micro: micro.recall,
    f1_micro: micro.f,
    f2_micro: micro.f2,
    precision_macro: macro.precision,
    recall_macro: macro.recall,
    f1_macro: macro.f,
    f2_macro: macro.f2,
    precision_samples: samples.precision,
    recall_samples: samples.recall,
    f1_samples: samples.f,
    f2_samples: samples.f2,
    map_macro: mean(ap),
    one_error: oneError(yTrue, scores),
    coverage_error: coverageError(yTrue, scores),
    ranking_loss: labelRankingLoss(yTrue, scores),
    label_ranking_average_precision: labelRankingAveragePrecision(yTrue, scores),
    per_class: perLabelScores(yTrue, yPred).map((s, i) => ({
      name: classNames[i],
      precision: s.precision,
      recall: s.recall,
      f1: s.f,
      support: s.support,
      average_precision: ap[i],
    })),
  };
}
