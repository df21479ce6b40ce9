import { IGBP_CLASSES, SIMPLIFIED_CLASSES } from '../common/dataset/labels.js';
import { multiLabelReport, singleLabelReport } from '../metrics/report.js';
import type { PatchItem } from '../sampler/patch-items.js';
import { multiHotTargets, singleTargets } from '../sampler/targets.js';
import { type ClassifierSpec, type ClassScheme, MULTI_LABEL_THRESHOLD } from '../common/training/finetune-config.js';
import { predictedClasses } from './predict.js';
import type { ClassificationReport } from '../common/metrics/report-types.js';


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
