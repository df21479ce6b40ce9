import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { index, type IndexResult } from '../../core/catalog/indexer.js';
import { parsePatchFileName, patchId, patchRelPath, type PatchRef, type Sensor } from '../../core/common/dataset/names.js';
import { writeTiff } from '../../core/dataset/tiff/writer.js';
import { s2Patches, syntheticDataset, tempDir } from './fixture.js';

// One data set with every kind of bad input at once, indexed once; each case checks its part.
const work = tempDir('bad-input');
let root = '';
let refs: PatchRef[] = [];
let result: IndexResult;
let db: Database.Database;

const N = 256 * 256;
const file = (ref: PatchRef, sensor: Sensor) => path.join(root, patchRelPath(ref, sensor));
const rel = patchRelPath;

/** Whether chmod 000 really blocks reading here (it does not for root). */
function chmodBlocksReads(): boolean {
  const probe = path.join(work, 'probe');
  fs.writeFileSync(probe, 'x');
  fs.chmodSync(probe, 0);
  try {
    fs.readFileSync(probe);
    return false;
  } catch {
    return true;
  } finally {
    fs.chmodSync(probe, 0o644);
  }
}
const unreadableWorks = chmodBlocksReads();

// Which patch gets which defect (by position in the sorted list; the rest stay good).
const TRUNCATED_S2 = 0;
const TEXT_S2 = 1;
const S1_WRONG_BANDS = 2;
const LC_WRONG_DTYPE = 3;
const S2_UNKNOWN_CRS = 4;
const S1_MISSING = 5;
const LC_MISSING = 6;
const LC_UNREADABLE = 7;
const S2_MISSING = 8;
const ORPHAN_S2 = 9;
const ORPHAN_S1 = 10;
const ORPHAN_LC = 11;
const S1_MISSING_S2_TRUNCATED = 12;
const S1_MISSING_LC_WRONG_DTYPE = 13;
const FIRST_GOOD = 14;

type ProblemRow = { file: string; reason: string };
const allProblems = () => db.prepare('SELECT file, reason FROM problems ORDER BY file, reason').all() as ProblemRow[];

function problems(where: string): string[] {
  return db.prepare('SELECT reason FROM problems WHERE file = ?').pluck().all(where) as string[];
}
function catalogued(ref: PatchRef): { sensors: string } | undefined {
  return db.prepare('SELECT sensors FROM patches WHERE id = ?').get(patchId(ref)) as { sensors: string } | undefined;
}

beforeAll(async () => {
  root = await syntheticDataset(work, 4, 5);
  refs = s2Patches(root);
  expect(refs.length).toBe(20);

  // Cut in the middle of the pixels, as an interrupted download leaves it.
  const s2 = file(refs[TRUNCATED_S2], 's2');
  fs.truncateSync(s2, Math.floor(fs.statSync(s2).size / 2));
  fs.writeFileSync(file(refs[TEXT_S2], 's2'), 'this is not a TIFF file, just text\n');
  const georef = { epsg: 32633, origin: [500000, 4000000] as [number, number], pixelSize: [10, 10] as [number, number] };
  await writeTiff(file(refs[S1_WRONG_BANDS], 's1'), {
    width: 256, height: 256, dtype: 'float32', bands: [0, 1, 2].map(() => new Float32Array(N)), georef,
  });
  await writeTiff(file(refs[LC_WRONG_DTYPE], 'lc'), {
    width: 256, height: 256, dtype: 'uint16', bands: [0, 1, 2, 3].map(() => new Uint16Array(N).fill(10)), georef,
  });
  // EPSG:2154 (Lambert-93) is not among the CRSs resolvable offline.
  await writeTiff(file(refs[S2_UNKNOWN_CRS], 's2'), {
    width: 256, height: 256, dtype: 'uint16', bands: Array.from({ length: 13 }, () => new Uint16Array(N).fill(1000)),
    georef: { geoKeys: { 1024: 1, 1025: 1, 3072: 2154 }, tiepoint: [0, 0, 0, 700000, 6600000, 0], pixelScale: [10, 10, 0] },
  });
  fs.rmSync(file(refs[S1_MISSING], 's1'));
  fs.rmSync(file(refs[LC_MISSING], 'lc'));
  fs.chmodSync(file(refs[LC_UNREADABLE], 'lc'), 0);
  fs.rmSync(file(refs[S2_MISSING], 's2'));
  for (const [i, gone] of [[ORPHAN_S2, ['s1', 'lc']], [ORPHAN_S1, ['s2', 'lc']], [ORPHAN_LC, ['s2', 's1']]] as const) {
    for (const sensor of gone) fs.rmSync(file(refs[i], sensor));
  }
  const s2Cut = file(refs[S1_MISSING_S2_TRUNCATED], 's2');
  fs.truncateSync(s2Cut, Math.floor(fs.statSync(s2Cut).size / 2));
  fs.rmSync(file(refs[S1_MISSING_S2_TRUNCATED], 's1'));
  fs.copyFileSync(file(refs[LC_WRONG_DTYPE], 'lc'), file(refs[S1_MISSING_LC_WRONG_DTYPE], 'lc'));
  fs.rmSync(file(refs[S1_MISSING_LC_WRONG_DTYPE], 's1'));

  // Stray entries, and a file at the root that is not part of the data set tree.
  const good = refs[FIRST_GOOD];
  fs.writeFileSync(path.join(root, good.roi, `s2_${good.scene}`, 'notes.txt'), 'hello');
  fs.writeFileSync(path.join(root, good.roi, 'README.md'), 'hello');
  const elsewhere = { ...good, scene: good.scene + 1000 };
  fs.copyFileSync(file(good, 's2'), path.join(root, good.roi, `s2_${good.scene}`, path.basename(rel(elsewhere, 's2'))));
  fs.writeFileSync(path.join(root, 'train_list.txt'), 'not a patch');

  // The known broken real patch, as complete and valid files.
  const broken = { roi: 'ROIs1868_summer', scene: 146, patch: 202 };
  for (const sensor of ['s1', 's2', 'lc'] as const) {
    fs.mkdirSync(path.dirname(file(broken, sensor)), { recursive: true });
    fs.copyFileSync(file(good, sensor), file(broken, sensor));
  }

  result = await index(root, { db: path.join(work, 'catalog.sqlite') });
  db = new Database(result.db, { readonly: true });
});

afterAll(() => {
  db?.close();
  if (refs.length > LC_UNREADABLE) fs.chmodSync(file(refs[LC_UNREADABLE], 'lc'), 0o644);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('indexing a data set with bad files', () => {
  it('finishes and catalogues every good triplet', () => {
    const good = refs.slice(FIRST_GOOD);
    for (const ref of good) expect(catalogued(ref)?.sensors).toBe('["lc","s1","s2"]');
    expect(result.triplets).toBe(good.length + (unreadableWorks ? 0 : 1));
    expect(result.problems).toBe(db.prepare('SELECT count(*) FROM problems').pluck().get());
  });

  it('records a truncated S2 file and leaves its patch out', () => {
    const ref = refs[TRUNCATED_S2];
    expect(problems(rel(ref, 's2')).join()).toMatch(/truncated/);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('records a non-TIFF file named .tif', () => {
    const ref = refs[TEXT_S2];
    expect(problems(rel(ref, 's2')).join()).toMatch(/not a TIFF/);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('records an S1 file with the wrong band count and keeps the patch for S2 work', () => {
    const ref = refs[S1_WRONG_BANDS];
    expect(problems(rel(ref, 's1')).join()).toMatch(/2 bands.*found 3/);
    expect(catalogued(ref)?.sensors).toBe('["lc","s2"]');
  });

  it('records an LC file with the wrong dtype and leaves the patch out (no labels)', () => {
    const ref = refs[LC_WRONG_DTYPE];
    expect(problems(rel(ref, 'lc')).join()).toMatch(/uint8.*found uint16/);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('records an S2 file in an unknown CRS', () => {
    const ref = refs[S2_UNKNOWN_CRS];
    expect(problems(rel(ref, 's2')).join()).toMatch(/unknown CRS/);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('records an S2 without S1 partner and catalogues it with sensors lc, s2', () => {
    const ref = refs[S1_MISSING];
    expect(problems(rel(ref, 's2'))).toEqual([`S2 patch with no S1 partner (${rel(ref, 's1')} is missing): catalogued with sensors lc, s2`]);
    expect(catalogued(ref)?.sensors).toBe('["lc","s2"]');
    const s1 = db.prepare('SELECT s1_path FROM patches WHERE id = ?').pluck().get(patchId(ref));
    expect(s1).toBeNull();
  });

  it('records an S2 without LC partner and leaves it out', () => {
    const ref = refs[LC_MISSING];
    expect(problems(rel(ref, 's2'))).toEqual([`S2 patch with no LC partner (${rel(ref, 'lc')} is missing): not catalogued, no labels`]);
    expect(catalogued(ref)).toBeUndefined();
  });

  it.skipIf(!unreadableWorks)('records an unreadable file (skipped where chmod 000 does not block reads, e.g. as root)', () => {
    const ref = refs[LC_UNREADABLE];
    expect(problems(rel(ref, 'lc')).join()).toMatch(/permission denied/);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('records S1 and LC files that have no S2 file', () => {
    const ref = refs[S2_MISSING];
    expect(problems(rel(ref, 's1'))).toEqual([`S1 patch with no S2 partner (${rel(ref, 's2')} is missing): not catalogued`]);
    expect(problems(rel(ref, 'lc'))).toEqual([`LC patch with no S2 partner (${rel(ref, 's2')} is missing): not catalogued`]);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('gives an orphan S2 file one row naming both missing partners', () => {
    const ref = refs[ORPHAN_S2];
    expect(problems(rel(ref, 's2'))).toEqual([
      `orphan S2 patch with no S1 or LC partner (${rel(ref, 's1')} and ${rel(ref, 'lc')} are missing): not catalogued, no labels`,
    ]);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('gives an orphan S1 or LC file one row naming both missing partners', () => {
    const s1Only = refs[ORPHAN_S1];
    expect(problems(rel(s1Only, 's1'))).toEqual([
      `orphan S1 patch with no S2 or LC partner (${rel(s1Only, 's2')} and ${rel(s1Only, 'lc')} are missing): not catalogued`,
    ]);
    const lcOnly = refs[ORPHAN_LC];
    expect(problems(rel(lcOnly, 'lc'))).toEqual([
      `orphan LC patch with no S2 or S1 partner (${rel(lcOnly, 's2')} and ${rel(lcOnly, 's1')} are missing): not catalogued`,
    ]);
    expect(catalogued(s1Only)).toBeUndefined();
    expect(catalogued(lcOnly)).toBeUndefined();
  });

  it('puts a broken S2 file and its missing S1 in one row that does not claim the patch is catalogued', () => {
    const ref = refs[S1_MISSING_S2_TRUNCATED];
    const rows = problems(rel(ref, 's2'));
    expect(rows).toHaveLength(1);
    const [fault, partners] = rows[0].split('; ');
    expect(fault).toMatch(/truncated/);
    expect(partners).toBe(`S2 patch with no S1 partner (${rel(ref, 's1')} is missing): not catalogued`);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('says an S2 without S1 is not catalogued when its LC file is broken', () => {
    const ref = refs[S1_MISSING_LC_WRONG_DTYPE];
    expect(problems(rel(ref, 's2'))).toEqual([`S2 patch with no S1 partner (${rel(ref, 's1')} is missing): not catalogued`]);
    expect(problems(rel(ref, 'lc')).join()).toMatch(/uint8.*found uint16/);
    expect(catalogued(ref)).toBeUndefined();
  });

  it('gives no file two rows, and says "catalogued" only of catalogued patches', () => {
    const rows = allProblems();
    const files = rows.map((r) => r.file);
    expect(files.filter((f, i) => files.indexOf(f) !== i)).toEqual([]);
    const claimed = rows.filter((r) => / catalogued with/.test(r.reason));
    expect(claimed.length).toBeGreaterThan(0);
    for (const r of claimed) expect(catalogued(parsePatchFileName(path.basename(r.file))!), r.file).toBeDefined();
  });

  it('records stray files inside ROI sets and ignores other files at the root', () => {
    const good = refs[FIRST_GOOD];
    const folder = `${good.roi}/s2_${good.scene}`;
    expect(problems(`${folder}/notes.txt`).join()).toMatch(/stray/);
    expect(problems(`${good.roi}/README.md`).join()).toMatch(/stray/);
    const misplaced = `${folder}/${path.basename(rel({ ...good, scene: good.scene + 1000 }, 's2'))}`;
    expect(problems(misplaced).join()).toMatch(/stray/);
    expect(problems('train_list.txt')).toEqual([]);
  });

  it('excludes the known broken patch ROIs1868_summer_s2_146_p202 with the reason', () => {
    const broken = { roi: 'ROIs1868_summer', scene: 146, patch: 202 };
    expect(problems(rel(broken, 's2'))).toEqual(['known broken patch (excluded by the SEN12MS reference code)']);
    expect(catalogued(broken)).toBeUndefined();
  });

  // Last: it indexes again. Unchanged triplets are not read; their rows come from the cache.
  it('reports the same rows again when no file changed', async () => {
    const before = allProblems();
    const again = await index(root, { db: result.db });
    expect(again.read).toBe(0);
    expect(allProblems()).toEqual(before);
  });
});
