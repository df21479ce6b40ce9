/** What the metrics report (core/metrics computes them, scikit-learn's definitions and names). */

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

export interface GroupReport<T> {
  group: string;
  n: number;
  /** null for a region that holds no patch. */
  report: T | null;
}

export type ClassificationReport = MultiLabelReport | SingleLabelReport;

/** The figure the research reports: sample-averaged Jaccard (multi), average accuracy (single). */
export function headlineMetric(scheme: 'multi' | 'single'): 'jaccard_samples' | 'average_accuracy' {
  return scheme === 'multi' ? 'jaccard_samples' : 'average_accuracy';
}

/** The report's top-level numbers (per-class lists and the confusion matrix left out). */
export function numericFields(report: ClassificationReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report).filter((e): e is [string, number] => typeof e[1] === 'number'));
}
