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

/** The figure the research reports per label scheme: sample-averaged Jaccard (multi), average accuracy (single). */
export const HEADLINE_METRICS = { multi: 'jaccard_samples', single: 'average_accuracy' } as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[keyof typeof HEADLINE_METRICS];

/** How the headline metrics are named wherever a figure is shown, so a legend cannot name another figure than the one it colours by. */
export const METRIC_TITLES: Record<HeadlineMetric, string> = {
  jaccard_samples: 'sample-averaged Jaccard',
  average_accuracy: 'average accuracy',
};

export function headlineMetric(scheme: 'multi' | 'single'): HeadlineMetric {
  return HEADLINE_METRICS[scheme];
}

/** A report's headline figure; the report's task says its scheme. */
export function headlineOf(report: ClassificationReport): { metric: HeadlineMetric; value: number } {
  const metric = headlineMetric(report.task === 'multi_label' ? 'multi' : 'single');
  return { metric, value: numericFields(report)[metric] };
}

/** The report's top-level numbers (per-class lists and the confusion matrix left out). */
export function numericFields(report: ClassificationReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report).filter((e): e is [string, number] => typeof e[1] === 'number'));
}
