import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_DB_SCHEMA_VERSION, openAppDb } from '../../core/app-db/schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-db-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();

describe('app database schema', () => {
  it('migrates a new file to the current version in WAL mode with synced commits', () => {
    const db = openAppDb(path.join(dir, 'new.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(APP_DB_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(tables(db)).toEqual(
      expect.arrayContaining(['annotation_cursor', 'annotation_events', 'annotation_history', 'evaluation_results', 'jobs', 'patch_annotations', 'regions', 'settings']),
    );
    db.close();
  });

  it('migrates an existing empty SQLite file, and reopens without migrating again or losing rows', () => {
    const file = path.join(dir, 'empty.sqlite');
    new Database(file).close();
    const db = openAppDb(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    const before = tables(db);
    db.close();
    const again = openAppDb(file);
    expect(again.pragma('user_version', { simple: true })).toBe(APP_DB_SCHEMA_VERSION);
    expect(tables(again)).toEqual(before);
    expect(again.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
    again.close();
  });

  it('refuses a file from a newer schema and a file that is not SQLite, naming the file', () => {
    const newer = path.join(dir, 'newer.sqlite');
    const raw = new Database(newer);
    raw.pragma(`user_version = ${APP_DB_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openAppDb(newer)).toThrow(/newer\.sqlite: app database schema version \d+ is newer/);
    const text = path.join(dir, 'text.sqlite');
    fs.writeFileSync(text, 'not a database at all, only text long enough to fill a page '.repeat(20));
    expect(() => openAppDb(text)).toThrow(/text\.sqlite/);
  });
});
