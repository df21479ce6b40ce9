/**
 * The app database: the user's own work (annotations, jobs and their results) and settings,
 * one SQLite file for the whole app. `user_version` holds the number of migrations applied; a new
 * schema version is a new entry at the end of MIGRATIONS, never an edit of an old one, so every
 * file on disk can be brought forward.
 */
import Database from 'better-sqlite3';
import { openMigrated } from '../util/sqlite-migrations.js';

const MIGRATIONS: string[] = [
  `
  -- Current annotations, one row per annotated patch of a data set. A patch whose annotation is
  -- back to "nothing set" has no row. labels is JSON text (an ascending list) or NULL.
  CREATE TABLE patch_annotations (
    dataset TEXT NOT NULL,
    patch_id TEXT NOT NULL,
    label INTEGER,
    labels TEXT,
    noisy INTEGER NOT NULL CHECK (noisy IN (0, 1)),
    note TEXT,
    PRIMARY KEY (dataset, patch_id)
  );

  -- Current named regions; geometry is the GeoJSON Polygon/MultiPolygon as JSON text.
  CREATE TABLE regions (
    dataset TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    geometry TEXT NOT NULL,
    PRIMARY KEY (dataset, id)
  );

  -- Append-only log of every change, undo and redo, with the whole state of the item before and
  -- after (JSON, NULL when absent), so any state can be explained and undo needs no replay.
  CREATE TABLE annotation_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('change', 'undo', 'redo')),
    target TEXT NOT NULL CHECK (target IN ('patch', 'region')),
    key TEXT NOT NULL,
    before TEXT,
    after TEXT,
    at TEXT NOT NULL,
    -- for undo/redo: the change event it reverts or re-applies
    of_event INTEGER REFERENCES annotation_events (id)
  );
  CREATE INDEX annotation_events_dataset ON annotation_events (dataset, id);

  -- The linear undo history of each data set: its change events in order, and how many of them
  -- are applied. Entries at or after the cursor are the redo branch; a new change drops them.
  CREATE TABLE annotation_history (
    dataset TEXT NOT NULL,
    position INTEGER NOT NULL,
    event_id INTEGER NOT NULL REFERENCES annotation_events (id),
    PRIMARY KEY (dataset, position)
  );
  CREATE TABLE annotation_cursor (dataset TEXT PRIMARY KEY, applied INTEGER NOT NULL);

  -- One JSON value per key; each key has its schema in settings.ts.
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  `
  -- Training, evaluation and export jobs (core/jobs). spec, progress and result are JSON text;
  -- times are ISO 8601. queue_position orders the queued jobs (NULL when not queued).
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('pretrain', 'finetune', 'evaluate', 'export')),
    spec TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
    run_dir TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    ended_at TEXT,
    error TEXT,
    progress TEXT,
    result TEXT,
    queue_position INTEGER UNIQUE
  );
  CREATE INDEX jobs_state ON jobs (state);

  -- The full EvaluationResult (overall and per-group reports) of each finished evaluate job, by
  -- the model directory it evaluated, so a run's metrics survive a restart of the app.
  CREATE TABLE evaluation_results (
    job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    split TEXT NOT NULL,
    result TEXT NOT NULL
  );
  CREATE INDEX evaluation_results_model ON evaluation_results (model);
  `,
  `
  -- The name and notes a user gave a job (run-labels.ts); a job without a row shows its default
  -- name (core/common/jobs/run-names.ts). Removed with its job.
  CREATE TABLE run_labels (
    job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    notes TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  `
  -- A batch: one undo step that changes several items (a box selection's patches, the regions of
  -- an imported file). Each of its events after the first names the first in batch; the history
  -- holds the first only. A lone change has NULL.
  ALTER TABLE annotation_events ADD COLUMN batch INTEGER REFERENCES annotation_events (id);
  CREATE INDEX annotation_events_batch ON annotation_events (batch) WHERE batch IS NOT NULL;
  `,
];

export const APP_DB_SCHEMA_VERSION = MIGRATIONS.length;

export type AppDb = Database.Database;

/** Opens (creating or migrating) the app database. */
export function openAppDb(file: string): AppDb {
  return openMigrated(file, {
    what: 'app database',
    migrations: MIGRATIONS,
    // An annotation is acknowledged only once it is durable: unlike a catalog, the user's work
    // cannot be rebuilt, so every commit is synced (FULL) rather than WAL's usual NORMAL.
    pragmas: ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON'],
  });
}
