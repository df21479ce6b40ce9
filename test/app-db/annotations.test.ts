import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Annotations } from '../../core/app-db/annotations.js';
import { openAppDb, type AppDb } from '../../core/app-db/schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-db-annotations-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const open: AppDb[] = [];
afterEach(() => open.splice(0).forEach((db) => db.open && db.close()));

let files = 0;
function freshFile(): string {
  return path.join(dir, `app-${files++}.sqlite`);
}
function openDb(file: string): AppDb {
  const db = openAppDb(file);
  open.push(db);
  return db;
}

const P1 = 'ROIs1158_spring_124_p100';
const P2 = 'ROIs2017_winter_7_p3';
const square = { type: 'Polygon' as const, coordinates: [[[10, 45], [11, 45], [11, 46], [10, 45]]] };

const events = (db: AppDb) =>
  db.prepare('SELECT action, target, key, before, after, of_event FROM annotation_events ORDER BY id').all() as Array<{
    action: string;
    target: string;
    key: string;
    before: string | null;
    after: string | null;
    of_event: number | null;
  }>;

describe('Annotations', () => {
  it('merges patch changes, and undo/redo walk the history back and forth', () => {
    const a = new Annotations(openDb(freshFile()), '/data/sen12ms');
    const first = a.apply({ kind: 'patch', patch: P1, set: { label: 3 } });
    expect(first.state).toEqual({ label: 3, labels: null, noisy: false, note: null });
    a.apply({ kind: 'patch', patch: P1, set: { noisy: true, note: 'clouds' } });
    a.apply({ kind: 'patch', patch: P1, set: { labels: [2, 3, 9] } });
    expect(a.patch(P1)).toEqual({ label: 3, labels: [2, 3, 9], noisy: true, note: 'clouds' });

    const undone = a.undo();
    expect(undone).toMatchObject({ target: 'patch', key: P1, state: { label: 3, labels: null, noisy: true, note: 'clouds' } });
    expect(a.undo()?.state).toEqual({ label: 3, labels: null, noisy: false, note: null });
    expect(a.undo()?.state).toBeNull();
    expect(a.patch(P1)).toBeNull();
    expect(a.canUndo()).toBe(false);
    expect(a.undo()).toBeNull();

    expect(a.redo()?.state).toEqual({ label: 3, labels: null, noisy: false, note: null });
    expect(a.redo()?.state).toEqual({ label: 3, labels: null, noisy: true, note: 'clouds' });
    expect(a.redo()?.state).toEqual({ label: 3, labels: [2, 3, 9], noisy: true, note: 'clouds' });
    expect(a.canRedo()).toBe(false);
    expect(a.redo()).toBeNull();
    expect(a.patch(P1)).toEqual({ label: 3, labels: [2, 3, 9], noisy: true, note: 'clouds' });
  });

  it('logs every change, undo and redo as a new event with the state before and after', () => {
    const db = openDb(freshFile());
    const a = new Annotations(db, '/data/sen12ms');
    const change = a.apply({ kind: 'patch', patch: P1, set: { label: 5 } });
    const undo = a.undo()!;
    const redo = a.redo()!;
    expect(new Set([change.eventId, undo.eventId, redo.eventId]).size).toBe(3);
    const after = JSON.stringify({ label: 5, labels: null, noisy: false, note: null });
    expect(events(db)).toEqual([
      { action: 'change', target: 'patch', key: P1, before: null, after, of_event: null },
      { action: 'undo', target: 'patch', key: P1, before: after, after: null, of_event: change.eventId },
      { action: 'redo', target: 'patch', key: P1, before: null, after, of_event: change.eventId },
    ]);
  });

  it('removes a patch row once every override is cleared, an empty note counting as none', () => {
    const a = new Annotations(openDb(freshFile()), '/data/sen12ms');
    a.apply({ kind: 'patch', patch: P1, set: { label: 1, note: 'x' } });
    expect(a.apply({ kind: 'patch', patch: P1, set: { label: null, note: '' } }).state).toBeNull();
    expect(a.patches()).toEqual([]);
  });

  it('creates, replaces and deletes regions, each step undoable', () => {
    const a = new Annotations(openDb(freshFile()), '/data/sen12ms');
    const region = { id: 'r1', name: 'Lake', geometry: square };
    a.apply({ kind: 'region', region });
    a.apply({ kind: 'region', region: { ...region, name: 'Big lake' } });
    a.apply({ kind: 'deleteRegion', id: 'r1' });
    expect(a.regions()).toEqual([]);
    expect(a.undo()?.state).toEqual({ ...region, name: 'Big lake' });
    expect(a.undo()?.state).toEqual(region);
    expect(a.regions()).toEqual([region]);
    expect(() => a.apply({ kind: 'deleteRegion', id: 'nope' })).toThrow(/id: no region "nope"/);
  });

  it('drops the redo branch when a change follows an undo', () => {
    const a = new Annotations(openDb(freshFile()), '/data/sen12ms');
    a.apply({ kind: 'patch', patch: P1, set: { label: 1 } });
    a.apply({ kind: 'patch', patch: P1, set: { label: 2 } });
    a.apply({ kind: 'patch', patch: P1, set: { label: 3 } });
    a.undo();
    a.undo();
    expect(a.canRedo()).toBe(true);
    a.apply({ kind: 'patch', patch: P2, set: { noisy: true } });
    expect(a.canRedo()).toBe(false);
    expect(a.redo()).toBeNull();
    expect(a.patch(P1)?.label).toBe(1);
    // the history is now [label 1, P2 noisy]
    expect(a.undo()).toMatchObject({ key: P2, state: null });
    expect(a.undo()).toMatchObject({ key: P1, state: null });
    expect(a.undo()).toBeNull();
  });

  it('applies a batch to every patch as one step: one undo reverts all, one redo re-applies all', () => {
    const db = openDb(freshFile());
    const a = new Annotations(db, '/data/sen12ms');
    const P3 = 'ROIs1868_summer_146_p202';
    a.apply({ kind: 'patch', patch: P2, set: { noisy: true, note: 'haze' } });
    const batch = a.apply({ kind: 'patches', patches: [P1, P2, P3], set: { label: 6 } });
    expect(batch.items.map((i) => i.key)).toEqual([P1, P2, P3]);
    expect(batch.items[1].state).toEqual({ label: 6, labels: null, noisy: true, note: 'haze' });
    expect(a.patches().map((p) => p.label)).toEqual([6, 6, 6]);
    // the history holds one step for the batch
    expect(db.prepare('SELECT count(*) FROM annotation_history').pluck().get()).toBe(2);

    const undone = a.undo()!;
    expect(undone.items.map((i) => i.key).sort()).toEqual([P1, P2, P3].sort());
    expect(a.patch(P1)).toBeNull();
    expect(a.patch(P2)).toEqual({ label: null, labels: null, noisy: true, note: 'haze' });
    expect(a.patch(P3)).toBeNull();
    const redone = a.redo()!;
    expect(redone.items.map((i) => i.key)).toEqual([P1, P2, P3]);
    expect(a.patches().map((p) => p.label)).toEqual([6, 6, 6]);
    expect(a.undo()!.items).toHaveLength(3);
    // the lone change before the batch is one step of its own
    expect(a.undo()).toMatchObject({ key: P2, state: null, items: [{ key: P2, state: null }] });
    expect(a.canUndo()).toBe(false);
  });

  it('adds imported regions as one step, and a failing batch leaves nothing', () => {
    const db = openDb(freshFile());
    const a = new Annotations(db, '/data/sen12ms');
    const regions = [
      { id: 'r1', name: 'Lake', geometry: square },
      { id: 'r2', name: 'Hill', geometry: square },
    ];
    expect(a.addRegions(regions).items.map((i) => i.key)).toEqual(['r1', 'r2']);
    expect(a.regions().map((r) => r.name).sort()).toEqual(['Hill', 'Lake']);
    expect(a.undo()!.items).toHaveLength(2);
    expect(a.regions()).toEqual([]);
    expect(() => a.addRegions([{ id: 'r3', name: '', geometry: square }])).toThrow(/region\.name/);
    expect(() => a.addRegions([])).toThrow(/regions: none/);
    db.exec("CREATE TEMP TRIGGER fail_second AFTER INSERT ON annotation_events WHEN NEW.batch IS NOT NULL BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => a.apply({ kind: 'patches', patches: [P1, P2], set: { label: 2 } })).toThrow(/disk full/);
    db.exec('DROP TRIGGER fail_second');
    expect(a.patches()).toEqual([]);
    expect(a.redo()!.items).toHaveLength(2);
  });

  it('keeps state and history across a reopen of the database file', () => {
    const file = freshFile();
    const first = new Annotations(openDb(file), '/data/sen12ms');
    first.apply({ kind: 'patch', patch: P1, set: { label: 4 } });
    first.apply({ kind: 'patch', patch: P1, set: { label: 6 } });
    first.apply({ kind: 'patch', patch: P1, set: { label: 7 } });
    first.undo();
    open.pop()!.close();

    const again = new Annotations(openDb(file), '/data/sen12ms');
    expect(again.patch(P1)?.label).toBe(6);
    expect(again.redo()?.state).toMatchObject({ label: 7 });
    expect(again.undo()?.state).toMatchObject({ label: 6 });
    expect(again.undo()?.state).toMatchObject({ label: 4 });
  });

  it('returns only once the change is committed: another connection sees it', () => {
    const file = freshFile();
    const a = new Annotations(openDb(file), '/data/sen12ms');
    const { eventId } = a.apply({ kind: 'patch', patch: P1, set: { noisy: true } });
    const reader = new Database(file, { readonly: true });
    try {
      expect(reader.prepare('SELECT noisy FROM patch_annotations WHERE patch_id = ?').pluck().get(P1)).toBe(1);
      expect(reader.prepare('SELECT count(*) FROM annotation_events WHERE id = ?').pluck().get(eventId)).toBe(1);
    } finally {
      reader.close();
    }
  });

  it('leaves nothing behind when a change fails inside its transaction', () => {
    const db = openDb(freshFile());
    const a = new Annotations(db, '/data/sen12ms');
    a.apply({ kind: 'patch', patch: P1, set: { label: 2 } });
    // the state row is written before the event row, so this fails half-way through a change
    db.exec("CREATE TEMP TRIGGER fail_events BEFORE INSERT ON annotation_events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => a.apply({ kind: 'patch', patch: P1, set: { label: 8 } })).toThrow(/disk full/);
    expect(() => a.apply({ kind: 'region', region: { id: 'r', name: 'R', geometry: square } })).toThrow(/disk full/);
    expect(() => a.undo()).toThrow(/disk full/);
    db.exec('DROP TRIGGER fail_events');
    expect(a.patch(P1)?.label).toBe(2);
    expect(a.regions()).toEqual([]);
    expect(events(db)).toHaveLength(1);
    expect(a.undo()?.state).toBeNull();
    expect(a.canUndo()).toBe(false);
  });

  it('keeps data sets apart, keyed by their absolute folder', () => {
    const db = openDb(freshFile());
    const a = new Annotations(db, '/data/one');
    const b = new Annotations(db, '/data/two');
    a.apply({ kind: 'patch', patch: P1, set: { label: 1 } });
    b.apply({ kind: 'patch', patch: P1, set: { label: 2 } });
    expect(new Annotations(db, '/data/one/../one/').patch(P1)?.label).toBe(1);
    expect(b.undo()?.state).toBeNull();
    expect(a.patch(P1)?.label).toBe(1);
    expect(b.canUndo()).toBe(false);
    expect(a.canUndo()).toBe(true);
  });

  it('rejects a bad change without writing anything', () => {
    const db = openDb(freshFile());
    const a = new Annotations(db, '/data/sen12ms');
    expect(() => a.apply({ kind: 'patch', patch: 'p100', set: { label: 1 } })).toThrow(/patch: not a SEN12MS patch id/);
    expect(() => a.apply({ kind: 'patch', patch: P1, set: { label: 11 } })).toThrow(/set\.label: must be <= 10, got 11/);
    expect(events(db)).toEqual([]);
    expect(a.canUndo()).toBe(false);
  });
});
