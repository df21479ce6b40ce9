/** App settings: one JSON value per key, each key with its schema (core/app-db/settings.ts stores them). */
import { BACKEND_CHOICES, type BackendChoice } from '../training/backends.js';
import type { JsonSchema } from '../util/json-schema.js';
import { DEFAULT_KEEP_CHECKPOINTS, KEEP_CHECKPOINTS_SCHEMA } from '../runs/checkpoint-ref.js';

export interface Settings {
  theme: 'system' | 'light' | 'dark';
  /** 'auto' lets the backend selection choose. */
  defaultBackend: 'auto' | BackendChoice;
  /** Absolute folder of the data set opened last. */
  lastDataset: string | null;
  /** Absolute folders of every data set the user has opened, in the order first opened. */
  datasets: string[];
  /** Older periodic checkpoints a new training run keeps besides last and best. */
  keepCheckpoints: number;
}

export type SettingKey = keyof Settings;

export const SETTING_DEFAULTS: Readonly<Settings> = { theme: 'system', defaultBackend: 'auto', lastDataset: null, datasets: [], keepCheckpoints: DEFAULT_KEEP_CHECKPOINTS };

// an absolute path: POSIX, a Windows drive or a UNC share
const ABSOLUTE_FOLDER: JsonSchema = { type: 'string', pattern: '^(/|[A-Za-z]:[\\\\/]|\\\\\\\\)', description: 'absolute folder' };

export const SETTING_SCHEMAS: Readonly<Record<SettingKey, JsonSchema>> = {
  theme: { type: 'string', enum: ['system', 'light', 'dark'] },
  defaultBackend: { type: 'string', enum: ['auto', ...BACKEND_CHOICES] },
  // null last so a bad path is reported
  lastDataset: { anyOf: [ABSOLUTE_FOLDER, { type: 'null' }] },
  datasets: { type: 'array', items: ABSOLUTE_FOLDER },
  keepCheckpoints: KEEP_CHECKPOINTS_SCHEMA,
};
