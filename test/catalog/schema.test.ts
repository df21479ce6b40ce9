import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openCatalogForRead, openCatalogForWrite, SCHEMA_VERSION } from '../../core/catalog/schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('catalog schema', () => {
  it('creates a WAL catalog at the current schema version, and reopens it unchanged', () => {
    const file = path.join(dir, 'new.sqlite');
    const db = openCatalogForWrite(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    db.close();
    const again = openCatalogForWrite(file);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('v');
    again.close();
    const ro = openCatalogForRead(file);
    expect(ro.prepare('SELECT count(*) FROM patches').pluck().get()).toBe(0);
    ro.close();
  });

  it('keeps the lon/lat R-tree in step with the patches table', () => {
    const db = openCatalogForWrite(path.join(dir, 'rtree.sqlite'));
    const insert = db.prepare(
      `INSERT INTO patches (id, roi, season, scene, patch, s2_path, s1_path, lc_path, sensors, epsg, footprint,
         crs_min_x, crs_min_y, crs_max_x, crs_max_y, centroid_lon, centroid_lat, min_lon, min_lat, max_lon, max_lat,
         split, igbp_fractions, label_igbp, labels_igbp, label, labels)
       VALUES (?, 'ROIs1158_spring', 'spring', 1, ?, 's2', 's1', 'lc', '[]', 32633, '[]', 0, 0, 1, 1, 0, 0, ?, 0, ?, 1,
         'train', '[]', 1, '[]', 1, '[]')`,
    );
    insert.run('a', 1, 10, 11);
    insert.run('b', 2, 20, 21);
    const inView = () =>
      db
        .prepare('SELECT p.id FROM patches p JOIN patches_bbox b ON b.rid = p.rowid WHERE b.max_lon >= 9 AND b.min_lon <= 12 ORDER BY p.id')
        .pluck()
        .all();
    expect(inView()).toEqual(['a']);
    db.prepare("UPDATE patches SET min_lon = 9.5, max_lon = 10 WHERE id = 'b'").run();
    expect(inView()).toEqual(['a', 'b']);
    db.prepare("DELETE FROM patches WHERE id = 'a'").run();
    expect(inView()).toEqual(['b']);
    db.close();
  });

  it('refuses a catalog written by a newer schema', () => {
    const file = path.join(dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openCatalogForWrite(file)).toThrow(/newer/);
    expect(() => openCatalogForRead(file)).toThrow(/schema version/);
  });

  it('refuses to read a missing file, a SQLite file that is no catalog, and a file that is no SQLite', () => {
    expect(() => openCatalogForRead(path.join(dir, 'missing.sqlite'))).toThrow(/missing\.sqlite: cannot open catalog/);
    const empty = path.join(dir, 'empty.sqlite');
    new Database(empty).close();
    expect(() => openCatalogForRead(empty)).toThrow(/not a SEN12MS Studio catalog/);
    const text = path.join(dir, 'text.sqlite');
    fs.writeFileSync(text, 'this is not a database, just some text that is long enough '.repeat(20));
    expect(() => openCatalogForRead(text)).toThrow(/text\.sqlite/);
  });
});
