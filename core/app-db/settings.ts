/**
 * App settings: one JSON value per key, each key with its schema, checked when it is written and
 * when it is read back (the file may have been written by another version of the app).
 */
import { SETTING_DEFAULTS, SETTING_SCHEMAS, type SettingKey, type Settings } from '../common/api/settings.js';
import { schemaErrors } from '../common/util/json-schema.js';
import type { AppDb } from './schema.js';

function checkKey(key: string): asserts key is SettingKey {
  if (!Object.hasOwn(SETTING_SCHEMAS, key)) {
    throw new Error(`settings: unknown key "${key}" (known: ${Object.keys(SETTING_SCHEMAS).join(', ')})`);
  }
}

/** The stored value, or the default when none is stored. */
export function getSetting<K extends SettingKey>(db: AppDb, key: K): Settings[K] {
  checkKey(key);
  const text = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(key);
  if (text === undefined) return SETTING_DEFAULTS[key];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${db.name}: stored setting ${key} is not JSON`);
  }
  const errors = schemaErrors(SETTING_SCHEMAS[key], value, key);
  if (errors.length > 0) throw new Error(`${db.name}: stored setting ${errors.join('; ')}`);
  return value as Settings[K];
}

/** Checks and stores; `key` and `value` may come from outside (IPC), hence the loose types. */
export function setSetting(db: AppDb, key: string, value: unknown): void {
  checkKey(key);
  const errors = schemaErrors(SETTING_SCHEMAS[key], value, key);
  if (errors.length > 0) throw new Error(`invalid setting: ${errors.join('; ')}`);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}

export function allSettings(db: AppDb): Settings {
  return {
    theme: getSetting(db, 'theme'),
    defaultBackend: getSetting(db, 'defaultBackend'),
    lastDataset: getSetting(db, 'lastDataset'),
    datasets: getSetting(db, 'datasets'),
    keepCheckpoints: getSetting(db, 'keepCheckpoints'),
  };
}
