import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAppDb } from '../../core/app-db/schema.js';
import { allSettings, getSetting, setSetting } from '../../core/app-db/settings.js';
import { SETTING_DEFAULTS } from '../../core/common/api/settings.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-db-settings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('settings', () => {
  it('gives defaults until set, and keeps what was set across a reopen', () => {
    const file = path.join(dir, 'keep.sqlite');
    const db = openAppDb(file);
    expect(allSettings(db)).toEqual(SETTING_DEFAULTS);
    setSetting(db, 'theme', 'dark');
    setSetting(db, 'defaultBackend', 'wasm');
    setSetting(db, 'lastDataset', '/data/sen12ms');
    setSetting(db, 'lastDataset', 'C:\\data\\sen12ms');
    setSetting(db, 'datasets', ['/data/sen12ms']);
    setSetting(db, 'keepCheckpoints', 0);
    db.close();
    const again = openAppDb(file);
    expect(allSettings(again)).toEqual({ theme: 'dark', defaultBackend: 'wasm', lastDataset: 'C:\\data\\sen12ms', datasets: ['/data/sen12ms'], keepCheckpoints: 0 });
    setSetting(again, 'lastDataset', null);
    expect(getSetting(again, 'lastDataset')).toBeNull();
    again.close();
  });

  it('refuses unknown keys and bad values, naming the key, and stores nothing', () => {
    const db = openAppDb(path.join(dir, 'bad.sqlite'));
    expect(() => setSetting(db, 'colour', 'red')).toThrow(/settings: unknown key "colour" \(known: theme, defaultBackend, lastDataset, datasets, keepCheckpoints\)/);
    expect(() => setSetting(db, 'theme', 'pink')).toThrow(/theme: must be one of "system", "light", "dark", got "pink"/);
    expect(() => setSetting(db, 'defaultBackend', 'webgl')).toThrow(/defaultBackend: must be one of "auto", .*"cpu"/);
    expect(() => setSetting(db, 'lastDataset', 'relative/dir')).toThrow(/lastDataset: "relative\/dir" does not match/);
    expect(() => setSetting(db, 'datasets', ['/data/a', 'b'])).toThrow(/datasets\[1\]: "b" does not match/);
    expect(() => setSetting(db, 'keepCheckpoints', 1.5)).toThrow(/keepCheckpoints: /);
    expect(() => setSetting(db, 'keepCheckpoints', -1)).toThrow(/keepCheckpoints: must be >= 0/);
    expect(() => getSetting(db, 'colour' as 'theme')).toThrow(/unknown key "colour"/);
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a stored value that breaks its schema, naming the file and the key', () => {
    const file = path.join(dir, 'stored.sqlite');
    const db = openAppDb(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"neon\"'), ('defaultBackend', 'not json')").run();
    expect(() => getSetting(db, 'theme')).toThrow(/stored\.sqlite: stored setting theme: must be one of/);
    expect(() => getSetting(db, 'defaultBackend')).toThrow(/stored\.sqlite: stored setting defaultBackend is not JSON/);
    db.close();
  });
});
