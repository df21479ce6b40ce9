/**
 * The walk J/K take through the patches in view: all of them, the ones not annotated yet, or the
 * ones flagged noisy. A step goes from the current patch's place in the list, so a patch that
 * leaves the walk as it is annotated (the usual case) does not lose the user's place.
 */
import type { PatchAnnotation } from '#common/annotations/annotation-changes.js';

export type WalkMode = 'all' | 'unannotated' | 'noisy';

export const WALK_MODES: ReadonlyArray<{ mode: WalkMode; label: string }> = [
  { mode: 'all', label: 'all in view' },
  { mode: 'unannotated', label: 'not annotated' },
  { mode: 'noisy', label: 'flagged noisy' },
];

export function inWalk(mode: WalkMode, annotation: PatchAnnotation | undefined): boolean {
  if (mode === 'unannotated') return annotation === undefined;
  if (mode === 'noisy') return annotation?.noisy === true;
  return true;
}

/**
 * The next (by 1) or previous (by -1) patch of the walk from `current` in `ids`; from the start
 * (or the end) when current is not in the list; null when the walk has none that way.
 */
export function stepWalk(
  ids: readonly string[],
  current: string | null,
  by: 1 | -1,
  mode: WalkMode,
  annotations: Readonly<Record<string, PatchAnnotation>>,
): string | null {
  const at = current === null ? -1 : ids.indexOf(current);
  let i = at === -1 ? (by === 1 ? 0 : ids.length - 1) : at + by;
  for (; i >= 0 && i < ids.length; i += by) {
    if (inWalk(mode, annotations[ids[i]])) return ids[i];
  }
  return null;
}

/** How many patches of the list the walk holds. */
export function walkSize(ids: readonly string[], mode: WalkMode, annotations: Readonly<Record<string, PatchAnnotation>>): number {
  if (mode === 'all') return ids.length;
  let n = 0;
  for (const id of ids) if (inWalk(mode, annotations[id])) n++;
  return n;
}
