/**
 * The data set's annotations as the service last reported them, and the only way the renderer
 * changes them: each change goes through annotations.apply and counts as saved only once the
 * call resolves (the service acknowledges after the commit).
 */
import type { AnnotationChange, AnnotationRegion, PatchAnnotation } from '#common/annotations/annotation-changes.js';
import { app, showError } from '../state.svelte.js';

export interface AnnotationsState {
  patches: Record<string, PatchAnnotation>;
  regions: AnnotationRegion[];
  canUndo: boolean;
  canRedo: boolean;
  /** What the last change did, shown next to the form: 'saving…', 'saved', 'undone', 'failed'. */
  status: string;
}

export const annotations: AnnotationsState = $state({ patches: {}, regions: [], canUndo: false, canRedo: false, status: '' });

export async function refreshAnnotations(): Promise<void> {
  const { client, dataset } = app;
  if (!client || !dataset) return;
  const all = await client.call('annotations.get', { dataset: dataset.id });
  annotations.patches = Object.fromEntries(all.patches.map(({ id, ...a }) => [id, a]));
  annotations.regions = all.regions;
  annotations.canUndo = all.canUndo;
  annotations.canRedo = all.canRedo;
}

async function run(pending: string, done: string, call: () => Promise<unknown>): Promise<boolean> {
  annotations.status = pending;
  try {
    await call();
    await refreshAnnotations();
    annotations.status = done;
    return true;
  } catch (err) {
    annotations.status = 'not saved';
    showError(err);
    return false;
  }
}

export function applyChange(change: AnnotationChange): Promise<boolean> {
  const { client, dataset } = app;
  if (!client || !dataset) return Promise.resolve(false);
  return run('saving…', 'saved', () => client.call('annotations.apply', { dataset: dataset.id, change }));
}

export function undo(): Promise<boolean> {
  const { client, dataset } = app;
  if (!client || !dataset || !annotations.canUndo) return Promise.resolve(false);
  return run('undoing…', 'undone (saved)', () => client.call('annotations.undo', { dataset: dataset.id }));
}

export function redo(): Promise<boolean> {
  const { client, dataset } = app;
  if (!client || !dataset || !annotations.canRedo) return Promise.resolve(false);
  return run('redoing…', 'redone (saved)', () => client.call('annotations.redo', { dataset: dataset.id }));
}
