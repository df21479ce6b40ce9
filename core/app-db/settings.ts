/**
 * App settings: one JSON value per key, each key with its schema, checked when it is written and
 * when it is read back (the file may have been written by another version of the app).
 */
import type { BackendChoice } from '../backend/select.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';
import type { AppDb } from './schema.js';

export interface Settings {
  theme: 'system' | 'light' | 'dark';
  /** 'auto' lets the backend selection choose. */
  defaultBackend: 'auto' | BackendChoice;
  /** Absolute folder of the data set opened last. */
  lastDataset: string | null;
  /** Absolute folders of every data set the user has opened, in the order first opened. */
  datasets: string[];
}

export type SettingKey = keyof Settings;

export const SETTING_DEFAULTS: Readonly<Settings> = { theme: 'system', defaultBackend: 'auto', lastDataset: null, datasets: [] };

// A Record over the type, so a new backend in select.ts fails to compile here until it is
// listed, without loading tfjs just to read BACKEND_CHOICES.
const BACKENDS: Record<Settings['defaultBackend'], true> = {
  auto: true,
  'tfjs-node-gpu': true,
  'tfjs-node': true,
  wasm: true,
  cpu: true,
};

// an absolute path: POSIX, a Windows drive or a UNC share
const ABSOLUTE_FOLDER: JsonSchema = { type: 'string', pattern: '^(/|[A-Za-z]:[\\\\/]|\\\\\\\\)', description: 'absolute folder' };

export const SETTING_SCHEMAS: Readonly<Record<SettingKey, JsonSchema>> = {
  theme: { type: 'string', enum: ['system', 'light', 'dark'] },
  defaultBackend: { type: 'string', enum: Object.keys(BACKENDS) },
  // null last so a bad path is reported
  lastDataset: { anyOf: [ABSOLUTE_FOLDER, { type: 'null' }] },
  datasets: { type: 'array', items: ABSOLUTE_FOLDER },
};

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
  };
}
