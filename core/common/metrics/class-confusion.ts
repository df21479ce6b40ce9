/**
 * Per-class 2x2 confusion of multi-label predictions, laid out as scikit-learn's
 * multilabel_confusion_matrix: [[tn, fp], [fn, tp]] for each class. A multi-label model has no
 * single K x K matrix (a patch can be right on one class and wrong on another), so the results
 * view shows these one per class.
 */

export type BinaryConfusion = [[number, number], [number, number]];

/**
 * `trueLabels` and `predicted` are per-sample label sets in the same numbering as `classes`
 * (the app uses 1-based classes); one matrix per entry of `classes`, in that order.
 */
export function multilabelConfusion(
  trueLabels: readonly (readonly number[])[],
  predicted: readonly (readonly number[])[],
  classes: readonly number[],
): BinaryConfusion[] {
  if (trueLabels.length !== predicted.length) throw new Error(`multilabelConfusion: ${trueLabels.length} true rows, ${predicted.length} predicted`);
  return classes.map((k) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    trueLabels.forEach((row, i) => {
      const isTrue = row.includes(k);
      const isPredicted = predicted[i].includes(k);
      if (isTrue && isPredicted) tp++;
      else if (isPredicted) fp++;
      else if (isTrue) fn++;
    });
    return [
      [trueLabels.length - tp - fp - fn, fp],
      [fn, tp],
    ];
  });
}
