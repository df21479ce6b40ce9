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
  NO_PATCH_ANNOTATION,
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
    return this.db.transaction((): AppliedChange => {
      let next: AnnotationState;
      if (change.kind === 'patch') {
        const set = { ...change.set };
        // an empty note is no note, so clearing the last field removes the row
        if (set.note === '') set.note = null;
        const merged = { ...(this.patch(change.patch) ?? NO_PATCH_ANNOTATION), ...set };
        next = { target: 'patch', key: change.patch, state: isEmpty(merged) ? null : merged };
      } else if (change.kind === 'region') {
        next = { target: 'region', key: change.region.id, state: change.region };
      } else {
        if (!this.region(change.id)) throw new Error(`id: no region "${change.id}" in ${this.dataset}`);
        next = { target: 'region', key: change.id, state: null };
      }
      const eventId = this.record('change', next, null);
      const applied = this.applied();
      this.db.prepare('DELETE FROM annotation_history WHERE dataset = ? AND position >= ?').run(this.dataset, applied);
      this.db
        .prepare('INSERT INTO annotation_history (dataset, position, event_id) VALUES (?, ?, ?)')
        .run(this.dataset, applied, eventId);
      this.setApplied(applied + 1);
      return { ...next, eventId };
    })();
  }

  /** Reverts the last applied change; null when there is none. */
  undo(): AppliedChange | null {
    return this.db.transaction((): AppliedChange | null => {
      const applied = this.applied();
      const event = this.historyEvent(applied - 1);
      if (!event) return null;
      const result = this.restore('undo', event, event.before);
      this.setApplied(applied - 1);
      return result;
    })();
  }

  /** Re-applies the last undone change; null when there is none. */
  redo(): AppliedChange | null {
    return this.db.transaction((): AppliedChange | null => {
      const applied = this.applied();
      const event = this.historyEvent(applied);
      if (!event) return null;
      const result = this.restore('redo', event, event.after);
      this.setApplied(applied + 1);
      return result;
    })();
  }

  canUndo(): boolean {
    return this.applied() > 0;
  }

  canRedo(): boolean {
    return this.historyEvent(this.applied()) !== undefined;
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

  private restore(action: Action, event: EventRow, json: string | null): AppliedChange {
    const next = { target: event.target, key: event.key, state: json === null ? null : JSON.parse(json) } as AnnotationState;
    return { ...next, eventId: this.record(action, next, event.id) };
  }

  /** Writes the item's new state and appends the event; returns the event id. */
  private record(action: Action, next: AnnotationState, ofEvent: number | null): number {
    const before = next.target === 'patch' ? this.patch(next.key) : this.region(next.key);
    this.writeState(next);
    const result = this.db
      .prepare(
        `INSERT INTO annotation_events (dataset, action, target, key, before, after, at, of_event)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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

  /** The change event at a history position; undefined past either end. */
  private historyEvent(position: number): EventRow | undefined {
    if (position < 0) return undefined;
    return this.db
      .prepare<[string, number], EventRow>(
        `SELECT e.id, e.target, e.key, e.before, e.after FROM annotation_history h
         JOIN annotation_events e ON e.id = h.event_id WHERE h.dataset = ? AND h.position = ?`,
      )
      .get(this.dataset, position);
  }
}
