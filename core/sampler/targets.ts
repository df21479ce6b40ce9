/** Classification targets from catalogued labels (1-based classes, multi-labels at fraction >= 0.1). */
import type { ClassScheme } from '../common/training/finetune-config.js';
import type { PatchItem } from './patch-items.js';


function checkClasses(classes: number): void {
  if (classes !== 10 && classes !== 17) throw new RangeError(`classes must be 10 (simplified) or 17 (IGBP), got ${classes}`);
}

function zeroBased(label: number, classes: ClassScheme, id: string): number {
  if (!Number.isInteger(label) || label < 1 || label > classes) {
    throw new RangeError(`patch ${id}: label ${label} is outside 1..${classes}`);
  }
  return label - 1;
}

/** n x classes, row-major: 1 where the patch has the class, else 0. */
export function multiHotTargets(items: PatchItem[], classes: ClassScheme): Float32Array {
  checkClasses(classes);
  const out = new Float32Array(items.length * classes);
  items.forEach((it, i) => {
    for (const label of classes === 10 ? it.labels : it.labelsIgbp) out[i * classes + zeroBased(label, classes, it.id)] = 1;
  });
  return out;
}

/** The 0-based dominant class of each patch. */
export function singleTargets(items: PatchItem[], classes: ClassScheme): Int32Array {
  checkClasses(classes);
  return Int32Array.from(items, (it) => zeroBased(classes === 10 ? it.label : it.labelIgbp, classes, it.id));
}
