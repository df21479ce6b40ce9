import { IGBP_CLASSES, SIMPLIFIED_CLASSES } from '../common/dataset/labels.js';
import { multiLabelReport, singleLabelReport, type MultiLabelReport, type SingleLabelReport } from '../metrics/report.js';
import type { PatchItem } from '../sampler/patch-items.js';
import { multiHotTargets, singleTargets, type ClassScheme } from '../sampler/targets.js';
import type { ClassifierSpec } from './classifier.js';
import { MULTI_LABEL_THRESHOLD } from './classification-loss.js';
import { predictedClasses } from './predict.js';

export type ClassificationReport = MultiLabelReport | SingleLabelReport;

export function classNames(classes: ClassScheme): string[] {
  return [...(classes === 10 ? SIMPLIFIED_CLASSES : IGBP_CLASSES)];
}

/** Rows of an n x K row-major array. */
export function rows(values: Float32Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, i) => Array.from(values.subarray(i * width, (i + 1) * width)));
}

/** multiLabelReport (threshold 0.5) or singleLabelReport (arg-max) of scores against the items' labels. */
export function classificationReport(spec: ClassifierSpec, items: PatchItem[], scores: Float32Array): ClassificationReport {
  const names = classNames(spec.classes);
  const scoreRows = rows(scores, spec.classes);
  if (spec.scheme === 'multi') {
    return multiLabelReport(rows(multiHotTargets(items, spec.classes), spec.classes), scoreRows, MULTI_LABEL_THRESHOLD, names);
  }
  return singleLabelReport(
    Array.from(singleTargets(items, spec.classes)),
    scoreRows.map((r) => predictedClasses(r, 'single')[0]),
    names,
  );
}

/** The figure the research reports: sample-averaged Jaccard (multi), average accuracy (single). */
export function headlineMetric(scheme: ClassifierSpec['scheme']): 'jaccard_samples' | 'average_accuracy' {
  return scheme === 'multi' ? 'jaccard_samples' : 'average_accuracy';
}

/** The report's top-level numbers (per-class lists and the confusion matrix left out). */
export function numericFields(report: ClassificationReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report).filter((e): e is [string, number] => typeof e[1] === 'number'));
}
