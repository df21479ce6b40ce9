/**
 * Indexes a SEN12MS folder into its catalog. A triplet is keyed by its S2 file; S1 and S2 are
 * read for their headers only, LC for its header and band 1 (the IGBP labels), in one decode-pool
 * job per triplet (one message each way) so every core works and the main thread only builds rows
 * and writes them. Scenes stream through one at a time and rows are written in batched
 * transactions, so memory stays bounded whatever the data set's size.
 *
 * Decisions about incomplete triplets (each also leaves a problem row):
 * - S1 missing or broken, LC fine: catalogued with sensors ["lc","s2"] (still useful for S2 work).
 * - LC missing or broken (no labels), or S2 broken: not catalogued.
 * - S1/LC files without an S2 file, and names that are not patch names: problems only.
 * A file has at most one problem row: the row of an S2 file with missing partners names all of
 * them and what became of the patch, so rows never contradict each other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { patchFileName, patchId, patchRelPath, SENSORS, type PatchRef, type Sensor } from '../common/dataset/names.js';
import { DecodePool } from '../dataset/tiff/pool.js';
import { deserializeError } from '../util/serialized-error.js';
import type { FileResult, TripletSummary } from '../dataset/triplet-summary.js';
import { defaultCatalogPath } from './location.js';
import { missingPartnersReason } from './problem.js';
import { patchRow } from './record.js';
import { countS2Files, listRoiSets, scanDataset, type FileStat, type SceneFiles } from './scan.js';
import { openCatalogForWrite, type Db } from './schema.js';
import { CatalogWriter, type FileRow, type WriteOp } from './store.js';

/** The reference code drops this one real patch; so do we, visibly. */
const KNOWN_BROKEN = new Set(['ROIs1868_summer_s2_146_p202.tif']);
const KNOWN_BROKEN_REASON = 'known broken patch (excluded by the SEN12MS reference code)';

// Enough triplets in flight to keep every pool worker busy; bounded so memory is too.
const MAX_IN_FLIGHT = 64;
// Write ops per transaction (about four per triplet).
const BATCH_OPS = 512;

export interface IndexOptions {
  /** Catalog file; default: the user cache folder, named by the data set's path. */
  db?: string;
  /** Called as S2 files are handled; total comes from a quick listing before the run. */
  onProgress?: (done: number, total: number) => void;
  /** Decode workers; default: the pool's own default (one per core). */
  workers?: number;
}

export interface IndexResult {
  /** Patches in the catalog with all three sensors good after the run. */
  triplets: number;
  /** Problem rows of this run. */
  problems: number;
  seconds: number;
  /** Catalog file written. */
  db: string;
  /** Triplets whose files were read this run. */
  read: number;
  /** Triplets skipped because none of their files changed. */
  unchanged: number;
  /** Patches removed because their files disappeared. */
  removed: number;
}

interface Triplet {
  ref: PatchRef;
  /** The sensors whose file exists; no key for a missing one. */
  files: Partial<Record<Sensor, FileStat>>;
}

function reasonOf(err: unknown): string {
  return err instanceof DatasetFileError ? err.reason : (err as Error).message;
}

/**
 * The problem ops of a triplet, at most one per file: the file's own fault (`faults`, by relative
 * path, as its `files` row keeps it) and, on the S2 file, the partners that are missing and
 * whether the patch got its catalog row.
 */
function problemOps(t: Triplet, faults: Map<string, string>, catalogued: boolean): WriteOp[] {
  const missing = (['s1', 'lc'] as const).filter((sensor) => !t.files[sensor]);
  const ops: WriteOp[] = [];
  for (const [sensor, stat] of Object.entries(t.files) as [Sensor, FileStat][]) {
    const reasons = [faults.get(stat.rel)];
    if (sensor === 's2' && missing.length > 0) {
      const outcome = catalogued ? 'catalogued with sensors lc, s2' : t.files.lc ? 'not catalogued' : 'not catalogued, no labels';
      reasons.push(missingPartnersReason(t.ref, 's2', missing, outcome));
    }
    const reason = reasons.filter((r) => r !== undefined).join('; ');
    if (reason) ops.push({ op: 'problem', problem: { file: stat.rel, reason } });
  }
  return ops;
}

/** True when every file of the triplet is as the last run saw it (same presence, size, mtime). */
function isUnchanged(t: Triplet, known: Map<string, FileRow>): boolean {
  return SENSORS.every((sensor) => {
    const stat = t.files[sensor];
    const row = known.get(patchRelPath(t.ref, sensor));
    if (!stat) return !row;
    return !!row && row.size === stat.size && row.mtime_ms === stat.mtimeMs;
  });
}

/** The faults the last run found in a triplet's files, by relative path. */
function cachedFaults(t: Triplet, known: Map<string, FileRow>): Map<string, string> {
  const faults = new Map<string, string>();
  for (const stat of Object.values(t.files)) {
    const reason = known.get(stat.rel)?.problem;
    if (reason) faults.set(stat.rel, reason);
  }
  return faults;
}

/** A file's slot of a triplet summary as a reason: null when the file is fine. */
function failureOf(result: FileResult<unknown> | undefined): string | null {
  return result && !result.ok ? reasonOf(deserializeError(result.error)) : null;
}

async function readTriplet(pool: DecodePool, root: string, t: Triplet): Promise<WriteOp[]> {
  const abs = (stat: FileStat | undefined) => stat && path.join(root, stat.rel);
  const { s1, lc } = t.files;
  const s2 = t.files.s2!;
  const faults = new Map<string, string>();
  let summary: TripletSummary | undefined;
  try {
    summary = await pool.readTriplet({ s2: abs(s2)!, s1: abs(s1), lc: abs(lc) });
  } catch (err) {
    // Only a dying worker gets here; which of the files killed it is unknown, so each carries it.
    for (const stat of Object.values(t.files)) faults.set(stat.rel, reasonOf(err));
  }
  if (summary) {
    for (const [sensor, result] of [['s2', summary.s2], ['s1', summary.s1], ['lc', summary.lc]] as const) {
      const reason = failureOf(result);
      if (reason) faults.set(t.files[sensor]!.rel, reason);
    }
  }

  const ops: WriteOp[] = [];
  if (summary?.s2.ok && summary.lc?.ok) {
    try {
      ops.push({ op: 'patch', row: patchRow(t.ref, summary.s2.value, summary.lc.value, !!s1 && !!summary.s1?.ok) });
    } catch (err) {
      // Whatever a footprint or label computation chokes on is the file's problem: the run goes on.
      faults.set(err instanceof DatasetFileError ? err.file : s2.rel, reasonOf(err));
    }
  }
  const catalogued = ops.length > 0;
  if (!catalogued) ops.push({ op: 'dropPatch', id: patchId(t.ref) });
  for (const stat of Object.values(t.files)) {
    const problem = faults.get(stat.rel) ?? null;
    ops.push({ op: 'file', row: { path: stat.rel, roi: t.ref.roi, scene: t.ref.scene, size: stat.size, mtime_ms: stat.mtimeMs, problem } });
  }
  ops.push(...problemOps(t, faults, catalogued));
  return ops;
}

/** The S2-keyed triplets of a scene, plus the ops that forget what is gone from it. */
function planScene(scene: SceneFiles, known: Map<string, FileRow>, knownPatchIds: string[]): { triplets: Triplet[]; ops: WriteOp[] } {
  const { roi, files } = scene;
  const triplets: Triplet[] = [];
  const ops: WriteOp[] = [];
  const members = new Set<string>();
  for (const patch of [...files.s2.keys()].sort((a, b) => a - b)) {
    const ref = { roi, scene: scene.scene, patch };
    if (KNOWN_BROKEN.has(patchFileName(ref, 's2'))) {
      ops.push({ op: 'problem', problem: { file: patchRelPath(ref, 's2'), reason: KNOWN_BROKEN_REASON } });
      continue;
    }
    const t: Triplet = { ref, files: {} };
    for (const sensor of SENSORS) {
      const stat = files[sensor].get(patch);
      if (stat) t.files[sensor] = stat;
    }
    for (const stat of Object.values(t.files)) members.add(stat.rel);
    triplets.push(t);
  }
  // Each file of a patch without S2 gets one row naming every partner it lacks.
  for (const [sensor, other] of [['s1', 'lc'], ['lc', 's1']] as const) {
    for (const [patch, stat] of files[sensor]) {
      if (files.s2.has(patch)) continue;
      const missing: Sensor[] = files[other].has(patch) ? ['s2'] : ['s2', other];
      const reason = missingPartnersReason({ roi, scene: scene.scene, patch }, sensor, missing, 'not catalogued');
      ops.push({ op: 'problem', problem: { file: stat.rel, reason } });
    }
  }
  for (const rel of known.keys()) if (!members.has(rel)) ops.push({ op: 'dropFile', path: rel });
  const catalogued = new Set(triplets.map((t) => patchId(t.ref)));
  for (const id of knownPatchIds) if (!catalogued.has(id)) ops.push({ op: 'dropPatch', id });
  return { triplets, ops };
}

export async function index(datasetDir: string, opts: IndexOptions = {}): Promise<IndexResult> {
  const started = performance.now();
  const root = path.resolve(datasetDir);
  // Fails before any catalog is created when the root cannot be read.
  const roiSets = await listRoiSets(root);
  const pool = new DecodePool(opts.workers ? { size: opts.workers } : {});
  // Workers take ~100 ms to start: let them do so while the catalog opens and the first scene is listed.
  pool.start();
  try {
    const total = opts.onProgress ? await countS2Files(root, roiSets) : 0;
    const dbPath = path.resolve(opts.db ?? defaultCatalogPath(root));
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    const db = openCatalogForWrite(dbPath);
    try {
      const counts = await indexInto(db, pool, root, roiSets, total, opts.onProgress);
      return { ...counts, seconds: (performance.now() - started) / 1000, db: dbPath };
    } finally {
      db.close();
    }
  } finally {
    await pool.close();
  }
}

async function indexInto(
  db: Db,
  pool: DecodePool,
  root: string,
  roiSets: string[],
  total: number,
  onProgress: IndexOptions['onProgress'],
): Promise<Omit<IndexResult, 'seconds' | 'db'>> {
  const writer = new CatalogWriter(db, root);
  let pending: WriteOp[] = [];
  const push = (ops: WriteOp[]) => {
    pending.push(...ops);
    if (pending.length >= BATCH_OPS) {
      writer.write(pending);
      pending = [];
    }
  };
  const seenScenes = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  // Called when a job ends while the loop waits for room (one waiter, not a race over every job).
  let slotFreed: (() => void) | undefined;
  // A failed write (the catalog itself) ends the run; it is kept here so no rejection goes unobserved.
  let failure: { error: unknown } | undefined;
  let done = 0;
  let read = 0;
  let unchanged = 0;
  const progress = () => onProgress?.(++done, Math.max(total, done));

  for await (const item of scanDataset(root, roiSets)) {
    if (item.kind === 'problem') {
      push([{ op: 'problem', problem: item.problem }]);
      continue;
    }
    const { roi, scene } = item.scene;
    seenScenes.add(`${roi}/${scene}`);
    const known = writer.sceneFiles(roi, scene);
    const knownPatchIds = writer.scenePatchIds(roi, scene);
    const plan = planScene(item.scene, known, knownPatchIds);
    push(plan.ops);
    // An unchanged triplet keeps last run's outcome: catalogued exactly when its row is there.
    const wasCatalogued = new Set(knownPatchIds);
    for (const t of plan.triplets) {
      if (isUnchanged(t, known)) {
        push(problemOps(t, cachedFaults(t, known), wasCatalogued.has(patchId(t.ref))));
        unchanged++;
        progress();
        continue;
      }
      while (inFlight.size >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (slotFreed = resolve));
      if (failure) throw failure.error;
      const job: Promise<void> = readTriplet(pool, root, t)
        .then((ops) => {
          push(ops);
          read++;
          progress();
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          inFlight.delete(job);
          slotFreed?.();
          slotFreed = undefined;
        });
      inFlight.add(job);
    }
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  writer.write(pending);
  writer.dropScenesNotIn(seenScenes);
  return { ...writer.finish(), read, unchanged };
}
