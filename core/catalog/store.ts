/** Writes an index run into the catalog: batched transactions of row upserts and removals. */
import type { CatalogProblem as Problem } from '../common/catalog/patch-types.js';
import type { PatchRow } from './record.js';
import type { Db } from './schema.js';

/** A `files` row: one patch file of the last run and, when it is bad, why. */
export interface FileRow {
  path: string;
  roi: string;
  scene: number;
  size: number;
  mtime_ms: number;
  problem: string | null;
}

export type WriteOp =
  | { op: 'patch'; row: PatchRow }
  | { op: 'dropPatch'; id: string }
  | { op: 'file'; row: FileRow }
  | { op: 'dropFile'; path: string }
  | { op: 'problem'; problem: Problem };

const PATCH_COLUMNS = [
  'id', 'roi', 'season', 'scene', 'patch', 's2_path', 's1_path', 'lc_path', 'sensors', 'epsg', 'footprint',
  'crs_min_x', 'crs_min_y', 'crs_max_x', 'crs_max_y', 'centroid_lon', 'centroid_lat',
  'min_lon', 'min_lat', 'max_lon', 'max_lat', 'split', 'igbp_fractions', 'label_igbp', 'labels_igbp', 'label', 'labels',
] as const satisfies readonly (keyof PatchRow)[];

export class CatalogWriter {
  private readonly runAt: string;
  private removed = 0;
  private readonly upsertPatch;
  private readonly deletePatch;
  private readonly upsertFile;
  private readonly deleteFile;
  private readonly insertProblem;
  private readonly filesOfScene;
  private readonly patchIdsOfScene;
  private readonly writeBatch;

  constructor(
    private readonly db: Db,
    datasetRoot: string,
    runAt = new Date(),
  ) {
    this.runAt = runAt.toISOString();
    // ON CONFLICT DO UPDATE keeps the rowid, so the R-tree row follows through its UPDATE trigger.
    this.upsertPatch = db.prepare(
      `INSERT INTO patches (${PATCH_COLUMNS.join(', ')}) VALUES (${PATCH_COLUMNS.map((c) => '@' + c).join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${PATCH_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    this.deletePatch = db.prepare('DELETE FROM patches WHERE id = ?');
    this.upsertFile = db.prepare(
      `INSERT INTO files (path, roi, scene, size, mtime_ms, problem) VALUES (@path, @roi, @scene, @size, @mtime_ms, @problem)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, problem = excluded.problem`,
    );
    this.deleteFile = db.prepare('DELETE FROM files WHERE path = ?');
    this.insertProblem = db.prepare('INSERT INTO problems (file, reason, seen_at) VALUES (?, ?, ?)');
    this.filesOfScene = db.prepare<[string, number], FileRow>('SELECT * FROM files WHERE roi = ? AND scene = ?');
    this.patchIdsOfScene = db.prepare<[string, number], { id: string }>('SELECT id FROM patches WHERE roi = ? AND scene = ?');
    this.writeBatch = db.transaction((ops: WriteOp[]) => {
      for (const op of ops) this.apply(op);
    });

    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    db.transaction(() => {
      // Problems of a run replace those of the last one.
      db.prepare('DELETE FROM problems').run();
      setMeta.run('dataset_root', datasetRoot);
      setMeta.run('index_started_at', this.runAt);
    })();
  }

  private apply(op: WriteOp): void {
    switch (op.op) {
      case 'patch':
        this.upsertPatch.run(op.row);
        break;
      case 'dropPatch':
        this.removed += this.deletePatch.run(op.id).changes;
        break;
      case 'file':
        this.upsertFile.run(op.row);
        break;
      case 'dropFile':
        this.deleteFile.run(op.path);
        break;
      case 'problem':
        this.insertProblem.run(op.problem.file, op.problem.reason, this.runAt);
        break;
    }
  }

  /** What the last run recorded about the files of one scene, by relative path. */
  sceneFiles(roi: string, scene: number): Map<string, FileRow> {
    return new Map(this.filesOfScene.all(roi, scene).map((r) => [r.path, r]));
  }

  scenePatchIds(roi: string, scene: number): string[] {
    return this.patchIdsOfScene.all(roi, scene).map((r) => r.id);
  }

  write(ops: WriteOp[]): void {
    this.writeBatch(ops);
  }

  /** Drops the patches and files of scenes (keys "roi/scene") that are gone from the data set. */
  dropScenesNotIn(seen: Set<string>): void {
    const known = this.db
      .prepare<[], { roi: string; scene: number }>('SELECT roi, scene FROM files UNION SELECT roi, scene FROM patches')
      .all();
    const gone = known.filter((k) => !seen.has(`${k.roi}/${k.scene}`));
    const dropPatches = this.db.prepare('DELETE FROM patches WHERE roi = ? AND scene = ?');
    const dropFiles = this.db.prepare('DELETE FROM files WHERE roi = ? AND scene = ?');
    this.db.transaction(() => {
      for (const k of gone) {
        this.removed += dropPatches.run(k.roi, k.scene).changes;
        dropFiles.run(k.roi, k.scene);
      }
    })();
  }

  /** Counts after the run, and records when it ended. */
  finish(): { triplets: number; problems: number; removed: number } {
    const count = (sql: string) => (this.db.prepare(sql).pluck().get() as number) ?? 0;
    this.db
      .prepare("INSERT INTO meta (key, value) VALUES ('indexed_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(new Date().toISOString());
    return {
      triplets: count('SELECT count(*) FROM patches WHERE s1_path IS NOT NULL'),
      problems: count('SELECT count(*) FROM problems'),
      removed: this.removed,
    };
  }
}
