/**
 * The catalog's SQLite schema. `user_version` holds the number of migrations applied; a new
 * schema version is a new entry at the end of MIGRATIONS, never an edit of an old one, so every
 * catalog on disk can be brought forward.
 */
import Database from 'better-sqlite3';
import { openMigrated, schemaVersion } from '../util/sqlite-migrations.js';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- One row per catalogued patch, keyed by its S2 file. Arrays are JSON text so the exporters
  -- can copy them into GeoJSON/CSV without parsing.
  CREATE TABLE patches (
    id TEXT PRIMARY KEY,
    roi TEXT NOT NULL,
    season TEXT NOT NULL,
    scene INTEGER NOT NULL,
    patch INTEGER NOT NULL,
    s2_path TEXT NOT NULL,
    s1_path TEXT,
    lc_path TEXT NOT NULL,
    sensors TEXT NOT NULL,
    epsg INTEGER,
    footprint TEXT NOT NULL,
    crs_min_x REAL NOT NULL, crs_min_y REAL NOT NULL, crs_max_x REAL NOT NULL, crs_max_y REAL NOT NULL,
    centroid_lon REAL NOT NULL, centroid_lat REAL NOT NULL,
    min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
    split TEXT NOT NULL CHECK (split IN ('train', 'test')),
    igbp_fractions TEXT NOT NULL,
    label_igbp INTEGER NOT NULL,
    labels_igbp TEXT NOT NULL,
    label INTEGER NOT NULL,
    labels TEXT NOT NULL
  );
  CREATE INDEX patches_order ON patches (roi, scene, patch);
  CREATE INDEX patches_season ON patches (season);
  CREATE INDEX patches_split ON patches (split);
  CREATE INDEX patches_label ON patches (label);

  -- Bounding boxes in lon/lat for "patches in this map view" queries; kept in step by triggers.
  CREATE VIRTUAL TABLE patches_bbox USING rtree (rid, min_lon, max_lon, min_lat, max_lat);
  CREATE TRIGGER patches_bbox_insert AFTER INSERT ON patches BEGIN
    INSERT INTO patches_bbox VALUES (new.rowid, new.min_lon, new.max_lon, new.min_lat, new.max_lat);
  END;
  CREATE TRIGGER patches_bbox_update AFTER UPDATE ON patches BEGIN
    UPDATE patches_bbox SET min_lon = new.min_lon, max_lon = new.max_lon, min_lat = new.min_lat,
      max_lat = new.max_lat WHERE rid = new.rowid;
  END;
  CREATE TRIGGER patches_bbox_delete AFTER DELETE ON patches BEGIN
    DELETE FROM patches_bbox WHERE rid = old.rowid;
  END;

  -- Every patch file seen by the last run (good or bad), with what a re-run needs to skip it
  -- when its size and mtime are unchanged: a bad file keeps its reason, so it is reported again
  -- without being read again.
  CREATE TABLE files (
    path TEXT PRIMARY KEY,
    roi TEXT NOT NULL,
    scene INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    problem TEXT
  );
  CREATE INDEX files_scene ON files (roi, scene);

  -- The problems of the last run only.
  CREATE TABLE problems (file TEXT NOT NULL, reason TEXT NOT NULL, seen_at TEXT NOT NULL);
  CREATE INDEX problems_file ON problems (file);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export type Db = Database.Database;

/** Opens (creating or migrating) a catalog for writing. */
export function openCatalogForWrite(file: string): Db {
  return openMigrated(file, {
    what: 'catalog',
    migrations: MIGRATIONS,
    // WAL + NORMAL stays consistent on a crash; a lost last transaction is redone by re-indexing.
    pragmas: ['journal_mode = WAL', 'synchronous = NORMAL'],
  });
}

/** Opens an existing catalog read-only; refuses files that are not catalogs of this schema. */
export function openCatalogForRead(file: string): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${file}: cannot open catalog (${(err as Error).message})`);
  }
  const version = schemaVersion(db, file, 'catalog');
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(
      version === 0
        ? `${file}: not a SEN12MS Studio catalog (no schema version)`
        : `${file}: catalog schema version ${version}, this program reads ${SCHEMA_VERSION}; run \`sen12ms-studio index\` again`,
    );
  }
  return db;
}
