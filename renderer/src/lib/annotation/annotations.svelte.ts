/**
 * The data set's annotations as the service last reported them, and the only way the renderer
 * changes them: each change goes through annotations.apply and counts as saved only once the
 * call resolves (the service acknowledges after the commit). The status names what the step
 * changed, and undo/redo select the patches they changed, so the map, the list and the Patch tab
 * show the patches the step was about, never another one.
 */
import { changedPatches, describeChange, MAX_BATCH_ITEMS, type AnnotationChange, type AnnotationRegion, type AppliedChange, type PatchAnnotation } from '#common/annotations/annotation-changes.js';
import { app, showError } from '../state.svelte.js';
import type { WalkMode } from './queue.js';

export interface AnnotationsState {
  patches: Record<string, PatchAnnotation>;
  regions: AnnotationRegion[];
  canUndo: boolean;
  canRedo: boolean;
  /** What the last step did, shown next to the forms: 'saving…', 'saved: 12 patches', 'undone: <id>', 'not saved'. */
  status: string;
  /** Which patches J/K walk through. */
  walk: WalkMode;
}

export const annotations: AnnotationsState = $state({ patches: {}, regions: [], canUndo: false, canRedo: false, status: '', walk: 'all' });

export async function refreshAnnotations(): Promise<void> {
  const { client, dataset } = app;
  if (!client || !dataset) return;
  const all = await client.call('annotations.get', { dataset: dataset.id });
  annotations.patches = Object.fromEntries(all.patches.map(({ id, ...a }) => [id, a]));
  annotations.regions = all.regions;
  annotations.canUndo = all.canUndo;
  annotations.canRedo = all.canRedo;
}

/** Shows the patches a step changed: selected on the map, in the list and in the Patch tab. */
function selectChanged(change: AppliedChange): void {
  const ids = changedPatches(change);
  if (ids.length === 0) return;
  app.selectedIds = ids;
  if (!ids.includes(app.selectedId ?? '')) app.selectedId = ids[0];
}

async function run(pending: string, done: string, call: () => Promise<AppliedChange | null>, select: boolean): Promise<AppliedChange | null> {
  annotations.status = pending;
  try {
    const change = await call();
    await refreshAnnotations();
    annotations.status = change ? `${done}: ${describeChange(change)}` : done;
    if (change && select) selectChanged(change);
    return change;
  } catch (err) {
    annotations.status = 'not saved';
    showError(err);
    return null;
  }
}

export function applyChange(change: AnnotationChange): Promise<AppliedChange | null> {
  const { client, dataset } = app;
  if (!client || !dataset) return Promise.resolve(null);
  return run('saving…', 'saved', () => client.call('annotations.apply', { dataset: dataset.id, change }), false);
}

/** Sets the fields on every patch given, as one undo step (one patch: a plain patch change). */
export function setOnPatches(ids: readonly string[], set: Partial<PatchAnnotation>): Promise<AppliedChange | null> {
  if (ids.length === 0) return Promise.resolve(null);
  if (ids.length > MAX_BATCH_ITEMS) {
    showError(`${ids.length.toLocaleString('en')} patches are selected; one change may set at most ${MAX_BATCH_ITEMS.toLocaleString('en')}: select a smaller box`);
    return Promise.resolve(null);
  }
  return applyChange(ids.length === 1 ? { kind: 'patch', patch: ids[0], set } : { kind: 'patches', patches: [...ids], set });
}

export function undo(): Promise<AppliedChange | null> {
  const { client, dataset } = app;
  if (!client || !dataset || !annotations.canUndo) return Promise.resolve(null);
  return run('undoing…', 'undone', () => client.call('annotations.undo', { dataset: dataset.id }), true);
}

export function redo(): Promise<AppliedChange | null> {
  const { client, dataset } = app;
  if (!client || !dataset || !annotations.canRedo) return Promise.resolve(null);
  return run('redoing…', 'redone', () => client.call('annotations.redo', { dataset: dataset.id }), true);
}

/** Adds the regions of a GeoJSON file's text as one undo step. */
export function importRegions(name: string, text: string): Promise<AppliedChange | null> {
  const { client, dataset } = app;
  if (!client || !dataset) return Promise.resolve(null);
  return run('importing…', 'imported', () => client.call('annotations.importRegions', { dataset: dataset.id, name, text }), false);
}
