/** What the annotation shortcuts do to the shared state (the keys themselves: keyboard/shortcuts.ts). */
import { browse } from '../sidebar/browse.svelte.js';
import { app } from '../state.svelte.js';
import { annotations, setOnPatches } from './annotations.svelte.js';
import { stepWalk } from './queue.js';

/** The patches a label key sets: the box selection, else the patch shown. */
export function selectionIds(): string[] {
  if (app.selectedIds.length > 0) return [...app.selectedIds];
  return app.selectedId ? [app.selectedId] : [];
}

export function labelSelection(label: number): boolean {
  const ids = selectionIds();
  if (ids.length === 0) return false;
  void setOnPatches(ids, { label });
  return true;
}

/** Selects the next (or previous) patch of the walk; false at the end of it. */
export function stepSelection(by: 1 | -1): boolean {
  const next = stepWalk(browse.inView, app.selectedId, by, annotations.walk, annotations.patches);
  if (next === null) {
    annotations.status = by === 1 ? 'no next patch in this walk' : 'no previous patch in this walk';
    return false;
  }
  app.selectedId = next;
  app.selectedIds = [next];
  return true;
}
