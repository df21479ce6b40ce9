import type { PatchAnnotation } from '#common/annotations/annotation-changes.js';
import type { PatchSummary } from '#common/catalog/patch-types.js';
import type { PatchAttributes } from './patch-colours.js';

/** A patch's map attributes from its catalog summary, the user's annotation and a model's prediction. */
export function patchAttributes(
  summary: Pick<PatchSummary, 'label' | 'split'>,
  annotation: PatchAnnotation | undefined,
  prediction: { correct: boolean } | undefined,
): PatchAttributes {
  return {
    label: annotation?.label ?? summary.label,
    split: summary.split === 'test' ? 1 : 0,
    annotation: annotation === undefined ? 0 : annotation.noisy ? 2 : 1,
    prediction: prediction === undefined ? 0 : prediction.correct ? 1 : 2,
  };
}
