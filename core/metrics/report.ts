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
import { type MultiLabelReport, type SingleLabelReport } from '../common/metrics/report-types.js';

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
