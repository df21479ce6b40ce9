/**
 * The user's annotations of one data set, with undo/redo. A data set is keyed by its folder's
 * absolute path (not its catalog's: a catalog can be rebuilt or moved, the data set is what the
 * user opened). Each change, undo and redo is one synchronous transaction that writes the current
 * state, appends an event and moves the history; it returns after COMMIT, so whatever it returns
 * is on disk, and the history survives a restart.
 */
import path from 'node:path';
import {
  checkAnnotationChange,
  MAX_BATCH_ITEMS,
  NO_PATCH_ANNOTATION,
  type AnnotationChange,
  type AnnotationRegion,
  type AnnotationState,
  type AppliedChange,
  type PatchAnnotation,
} from '../common/annotations/annotation-changes.js';
import type { AppDb } from './schema.js';

type Target = AnnotationState['target'];
type Action = 'change' | 'undo' | 'redo';

interface PatchRow {
  patch_id: string;
  label: number | null;
  labels: string | null;
  noisy: number;
  note: string | null;
}

interface RegionRow {
  id: string;
  name: string;
  geometry: string;
}

interface EventRow {
  id: number;
  target: Target;
  key: string;
  before: string | null;
  after: string | null;
}

function patchOf(row: PatchRow): PatchAnnotation {
  return { label: row.label, labels: row.labels === null ? null : JSON.parse(row.labels), noisy: row.noisy === 1, note: row.note };
}

function regionOf(row: RegionRow): AnnotationRegion {
  return { id: row.id, name: row.name, geometry: JSON.parse(row.geometry) };
}

function isEmpty(a: PatchAnnotation): boolean {
  return a.label === null && a.labels === null && !a.noisy && a.note === null;
}

export class Annotations {
  /** The data set's absolute folder path: the key of its rows. */
  readonly dataset: string;

  constructor(
    private readonly db: AppDb,
    datasetDir: string,
  ) {
    this.dataset = path.resolve(datasetDir);
  }

  /** Validates and commits one change (see AnnotationChange); drops the redo branch. */
  apply(input: unknown): AppliedChange {
    const change = checkAnnotationChange(input);
    return this.db.transaction(() => this.commit(this.statesOf(change)))();
  }

  /**
   * Commits regions as one undo step (a GeoJSON file's import): each is created, or replaces
   * the region with its id.
   */
  addRegions(regions: AnnotationRegion[]): AppliedChange {
    if (regions.length === 0) throw new Error('regions: none to add');
    if (regions.length > MAX_BATCH_ITEMS) throw new Error(`regions: at most ${MAX_BATCH_ITEMS} in one step, got ${regions.length}`);
    const checked = regions.map((region) => checkAnnotationChange({ kind: 'region', region }) as Extract<AnnotationChange, { kind: 'region' }>);
    return this.db.transaction(() => this.commit(checked.map((c): AnnotationState => ({ target: 'region', key: c.region.id, state: c.region }))))();
  }

  /** Reverts the last applied step (every item of a batch); null when there is none. */
  undo(): AppliedChange | null {
    return this.db.transaction((): AppliedChange | null => {
      const applied = this.applied();
      const events = this.historyEvents(applied - 1);
      if (events.length === 0) return null;
      // in reverse, so an item a batch changed twice ends where it started
      const result = this.restore('undo', [...events].reverse(), 'before');
      this.setApplied(applied - 1);
      return result;
    })();
  }

  /** Re-applies the last undone step; null when there is none. */
  redo(): AppliedChange | null {
    return this.db.transaction((): AppliedChange | null => {
      const applied = this.applied();
      const events = this.historyEvents(applied);
      if (events.length === 0) return null;
      const result = this.restore('redo', events, 'after');
      this.setApplied(applied + 1);
      return result;
    })();
  }

  canUndo(): boolean {
    return this.applied() > 0;
  }

  canRedo(): boolean {
    return this.historyEvents(this.applied()).length > 0;
  }

  patch(id: string): PatchAnnotation | null {
    const row = this.db
      .prepare<[string, string], PatchRow>('SELECT * FROM patch_annotations WHERE dataset = ? AND patch_id = ?')
      .get(this.dataset, id);
    return row ? patchOf(row) : null;
  }

  /** Every annotated patch, by id. */
  patches(): Array<PatchAnnotation & { id: string }> {
    return this.db
      .prepare<[string], PatchRow>('SELECT * FROM patch_annotations WHERE dataset = ? ORDER BY patch_id')
      .all(this.dataset)
      .map((row) => ({ id: row.patch_id, ...patchOf(row) }));
  }

  region(id: string): AnnotationRegion | null {
    const row = this.db
      .prepare<[string, string], RegionRow>('SELECT id, name, geometry FROM regions WHERE dataset = ? AND id = ?')
      .get(this.dataset, id);
    return row ? regionOf(row) : null;
  }

  /** Every region, by id. */
  regions(): AnnotationRegion[] {
    return this.db
      .prepare<[string], RegionRow>('SELECT id, name, geometry FROM regions WHERE dataset = ? ORDER BY id')
      .all(this.dataset)
      .map(regionOf);
  }

  /** The new state of every item a change names. */
  private statesOf(change: AnnotationChange): AnnotationState[] {
    if (change.kind === 'patch' || change.kind === 'patches') {
      const set = { ...change.set };
      // an empty note is no note, so clearing the last field removes the row
      if (set.note === '') set.note = null;
      const ids = change.kind === 'patch' ? [change.patch] : change.patches;
      return ids.map((id): AnnotationState => {
        const merged = { ...(this.patch(id) ?? NO_PATCH_ANNOTATION), ...set };
        return { target: 'patch', key: id, state: isEmpty(merged) ? null : merged };
      });
    }
    if (change.kind === 'region') return [{ target: 'region', key: change.region.id, state: change.region }];
    if (!this.region(change.id)) throw new Error(`id: no region "${change.id}" in ${this.dataset}`);
    return [{ target: 'region', key: change.id, state: null }];
  }

  /** Records the items as one step at the cursor, dropping the redo branch. */
  private commit(items: AnnotationState[]): AppliedChange {
    const ids = this.recordAll('change', items.map((next) => ({ next, ofEvent: null })));
    const applied = this.applied();
    this.db.prepare('DELETE FROM annotation_history WHERE dataset = ? AND position >= ?').run(this.dataset, applied);
    this.db.prepare('INSERT INTO annotation_history (dataset, position, event_id) VALUES (?, ?, ?)').run(this.dataset, applied, ids[0]);
    this.setApplied(applied + 1);
    return { ...items[0], eventId: ids[0], items };
  }

  private restore(action: Action, events: EventRow[], side: 'before' | 'after'): AppliedChange {
    const steps = events.map((event) => {
      const json = event[side];
      const next = { target: event.target, key: event.key, state: json === null ? null : JSON.parse(json) } as AnnotationState;
      return { next, ofEvent: event.id };
    });
    const ids = this.recordAll(action, steps);
    const items = steps.map((s) => s.next);
    return { ...items[0], eventId: ids[0], items };
  }

  /** Records the items' events as one batch (a single item is no batch); returns their ids. */
  private recordAll(action: Action, steps: Array<{ next: AnnotationState; ofEvent: number | null }>): number[] {
    const ids: number[] = [];
    for (const { next, ofEvent } of steps) ids.push(this.record(action, next, ofEvent, steps.length > 1 && ids.length > 0 ? ids[0] : null));
    return ids;
  }

  /** Writes the item's new state and appends the event; returns the event id. */
  private record(action: Action, next: AnnotationState, ofEvent: number | null, batch: number | null): number {
    const before = next.target === 'patch' ? this.patch(next.key) : this.region(next.key);
    this.writeState(next);
    const result = this.db
      .prepare(
        `INSERT INTO annotation_events (dataset, action, target, key, before, after, at, of_event, batch)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.dataset,
        action,
        next.target,
        next.key,
        before === null ? null : JSON.stringify(before),
        next.state === null ? null : JSON.stringify(next.state),
        new Date().toISOString(),
        ofEvent,
        batch,
      );
    return Number(result.lastInsertRowid);
  }

  private writeState(next: AnnotationState): void {
    const table = next.target === 'patch' ? 'patch_annotations' : 'regions';
    const keyColumn = next.target === 'patch' ? 'patch_id' : 'id';
    if (next.state === null) {
      this.db.prepare(`DELETE FROM ${table} WHERE dataset = ? AND ${keyColumn} = ?`).run(this.dataset, next.key);
    } else if (next.target === 'patch') {
      const s = next.state;
      this.db
        .prepare(
          `INSERT INTO patch_annotations (dataset, patch_id, label, labels, noisy, note) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (dataset, patch_id) DO UPDATE SET
             label = excluded.label, labels = excluded.labels, noisy = excluded.noisy, note = excluded.note`,
        )
        .run(this.dataset, next.key, s.label, s.labels === null ? null : JSON.stringify(s.labels), s.noisy ? 1 : 0, s.note);
    } else {
      this.db
        .prepare(
          `INSERT INTO regions (dataset, id, name, geometry) VALUES (?, ?, ?, ?)
           ON CONFLICT (dataset, id) DO UPDATE SET name = excluded.name, geometry = excluded.geometry`,
        )
        .run(this.dataset, next.key, next.state.name, JSON.stringify(next.state.geometry));
    }
  }

  private applied(): number {
    const applied = this.db
      .prepare<[string], number>('SELECT applied FROM annotation_cursor WHERE dataset = ?')
      .pluck()
      .get(this.dataset);
    return applied ?? 0;
  }

  private setApplied(applied: number): void {
    this.db
      .prepare(
        `INSERT INTO annotation_cursor (dataset, applied) VALUES (?, ?)
         ON CONFLICT (dataset) DO UPDATE SET applied = excluded.applied`,
      )
      .run(this.dataset, applied);
  }

  /** The change events of the step at a history position, in order; none past either end. */
  private historyEvents(position: number): EventRow[] {
    if (position < 0) return [];
    const first = this.db
      .prepare<[string, number], number>('SELECT event_id FROM annotation_history WHERE dataset = ? AND position = ?')
      .pluck()
      .get(this.dataset, position);
    if (first === undefined) return [];
    return this.db
      .prepare<[number, number], EventRow>('SELECT id, target, key, before, after FROM annotation_events WHERE id = ? OR batch = ? ORDER BY id')
      .all(first, first);
  }
}
