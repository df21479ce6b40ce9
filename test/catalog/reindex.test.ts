import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { index } from '../../core/catalog/indexer.js';
import { patchId, patchRelPath, type PatchRef } from '../../core/common/dataset/names.js';
import { readRaster } from '../../core/dataset/tiff/reader.js';
import { writeTiff } from '../../core/dataset/tiff/writer.js';
import { s2Patches, syntheticDataset, tempDir } from './fixture.js';

// The steps build on each other: each re-indexes the data set as the previous one left it.
const work = tempDir('reindex');
const dbFile = path.join(work, 'catalog.sqlite');
let root = '';
let refs: PatchRef[] = [];
const file = (ref: PatchRef, sensor: 's1' | 's2' | 'lc') => path.join(root, patchRelPath(ref, sensor));

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const problemRows = () => query<{ file: string; reason: string }>('SELECT file, reason FROM problems ORDER BY file, reason');
const ids = () => query<{ id: string }>('SELECT id FROM patches ORDER BY id').map((r) => r.id);
/** Moves a file's mtime forward so a rewrite of the same size is seen as a change. */
const touchLater = (f: string) => {
  const t = new Date(fs.statSync(f).mtimeMs + 10_000);
  fs.utimesSync(f, t, t);
};

beforeAll(async () => {
  root = await syntheticDataset(work, 3, 3);
  refs = s2Patches(root);
  // A bad S1 whose problem must be reported again on every run without re-reading it.
  fs.writeFileSync(file(refs[0], 's1'), 'not a tiff');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('re-indexing', () => {
  let firstProblems: { file: string; reason: string }[] = [];

  it('reads every triplet the first time', async () => {
    const r = await index(root, { db: dbFile });
    expect(r).toMatchObject({ read: refs.length, unchanged: 0, removed: 0, triplets: refs.length - 1, problems: 1 });
    firstProblems = problemRows();
    expect(firstProblems).toEqual([{ file: patchRelPath(refs[0], 's1'), reason: expect.stringMatching(/not a TIFF/) }]);
  });

  it('reads nothing when no file changed, and reports the same problems', async () => {
    const before = ids();
    const r = await index(root, { db: dbFile });
    expect(r).toMatchObject({ read: 0, unchanged: refs.length, removed: 0, triplets: refs.length - 1, problems: 1 });
    expect(problemRows()).toEqual(firstProblems);
    expect(ids()).toEqual(before);
  });

  it('re-reads a changed file and updates the patch', async () => {
    const ref = refs[1];
    const lc = await readRaster(file(ref, 'lc'));
    lc.data[0].fill(17); // all water
    const header = { epsg: 32633, origin: [500000, 4000000] as [number, number], pixelSize: [10, 10] as [number, number] };
    await writeTiff(file(ref, 'lc'), { width: 256, height: 256, dtype: 'uint8', bands: lc.data, georef: header });
    touchLater(file(ref, 'lc'));
    const r = await index(root, { db: dbFile });
    expect(r).toMatchObject({ read: 1, unchanged: refs.length - 1 });
    const [row] = query<{ label_igbp: number; labels_igbp: string; label: number; labels: string }>(
      'SELECT label_igbp, labels_igbp, label, labels FROM patches WHERE id = ?',
      patchId(ref),
    );
    expect(row).toEqual({ label_igbp: 17, labels_igbp: '[17]', label: 10, labels: '[10]' });
  });

  it('picks up a repaired file and forgets its problem', async () => {
    fs.copyFileSync(file(refs[2], 's1'), file(refs[0], 's1'));
    const r = await index(root, { db: dbFile });
    expect(r).toMatchObject({ read: 1, triplets: refs.length, problems: 0 });
  });

  it('drops a patch whose S2 file was deleted', async () => {
    const gone = refs[3];
    fs.rmSync(file(gone, 's2'));
    const r = await index(root, { db: dbFile });
    expect(r).toMatchObject({ read: 0, removed: 1, triplets: refs.length - 1 });
    expect(ids()).not.toContain(patchId(gone));
    expect(problemRows().map((p) => p.file)).toEqual([patchRelPath(gone, 'lc'), patchRelPath(gone, 's1')]);
  });

  it('drops every patch of a scene whose folders were deleted', async () => {
    const last = refs[refs.length - 1];
    const inScene = refs.filter((r) => r.roi === last.roi && r.scene === last.scene);
    for (const sensor of ['s1', 's2', 'lc']) fs.rmSync(path.join(root, last.roi, `${sensor}_${last.scene}`), { recursive: true });
    const r = await index(root, { db: dbFile });
    expect(r.removed).toBe(inScene.length);
    for (const ref of inScene) expect(ids()).not.toContain(patchId(ref));
    const files = query<{ n: number }>('SELECT count(*) AS n FROM files WHERE roi = ? AND scene = ?', last.roi, last.scene);
    expect(files[0].n).toBe(0);
  });
});
