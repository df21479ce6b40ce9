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

/**
 * What each headline figure means, for a title or accessible description wherever its name is
 * shown: the research calls both "accuracy", which they are not in the usual sense.
 */
export const METRIC_DEFINITIONS: Record<HeadlineMetric, string> = {
  jaccard_samples:
    "For each patch, the classes both predicted and true divided by the classes predicted or true (|predicted ∩ true| / |predicted ∪ true|; a class is predicted when its probability reaches the threshold, 0.5), averaged over patches; a patch with neither counts 0. Partly right label sets earn partial credit. The research's multi-label \"overall accuracy\" (scikit-learn jaccard_score, average='samples').",
  average_accuracy:
    "The share of each true class's patches predicted as that class (its recall), averaged over the classes present, so a rare class weighs as much as a common one. The research's single-label \"average accuracy\" (scikit-learn balanced_accuracy_score).",
};

/** A headline metric's name and definition, for a figure's label and its title / aria-description. */
export function metricTerm(metric: HeadlineMetric): { title: string; definition: string } {
  return { title: METRIC_TITLES[metric], definition: METRIC_DEFINITIONS[metric] };
}

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
