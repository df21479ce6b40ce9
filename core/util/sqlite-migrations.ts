import Database from 'better-sqlite3';

export interface MigratedDbOptions {
  /** What the file is, for messages: "catalog", "app database". */
  what: string;
  /** SQL of each schema version in order; the file's `user_version` says how many have run. */
  migrations: readonly string[];
  /** Pragmas set after opening and before migrating, e.g. "journal_mode = WAL". */
  pragmas: readonly string[];
}

/** The schema version a SQLite file records; a file that is not SQLite is an error naming it. */
export function schemaVersion(db: Database.Database, file: string, what: string): number {
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (err) {
    throw new Error(`${file}: not a SQLite ${what} (${(err as Error).message})`);
  }
}

/**
 * Opens a SQLite file for writing, creating it if needed, and runs the migrations it lacks, each
 * in its own transaction with the version bump, so a crash leaves a file at some whole version.
 * A file from a newer program is refused rather than touched.
 */
export function openMigrated(file: string, opts: MigratedDbOptions): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new Error(`${file}: cannot open the ${opts.what} (${(err as Error).message})`);
  }
  try {
    const version = schemaVersion(db, file, opts.what);
    const latest = opts.migrations.length;
    if (version > latest) throw new Error(`${file}: ${opts.what} schema version ${version} is newer than this program's (${latest})`);
    for (const pragma of opts.pragmas) db.pragma(pragma);
    for (let v = version; v < latest; v++) {
      db.transaction(() => {
        db.exec(opts.migrations[v]);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
