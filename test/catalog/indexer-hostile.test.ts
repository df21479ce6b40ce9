/**
 * Files named like patches whose size or layout disagrees with their header, and file names
 * that are not UTF-8 or hold control characters: each becomes a problem row, indexing memory
 * stays bounded, and good patches still read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { index, type IndexResult } from '../../core/catalog/indexer.js';
import { patchId, patchRelPath, type PatchRef } from '../../core/common/dataset/names.js';
import { escapeFileName, unescapeFileName } from '../../core/common/util/file-name.js';
import { DecodePool } from '../../core/dataset/tiff/pool.js';
import { markDeflate, stripIntoIfd } from '../dataset/tiff/hostile-tiff.js';
import { s2Patches, syntheticDataset, tempDir } from './fixture.js';

const work = tempDir('hostile');
let root = '';
let refs: PatchRef[] = [];
let result: IndexResult;
let db: Database.Database;
let rssGrowth = 0;

const file = (ref: PatchRef, sensor: 's1' | 's2' | 'lc') => path.join(root, patchRelPath(ref, sensor));
const problems = (rel: string) => db.prepare('SELECT reason FROM problems WHERE file = ?').pluck().all(rel) as string[];
const catalogued = (ref: PatchRef) => db.prepare('SELECT id FROM patches WHERE id = ?').get(patchId(ref)) !== undefined;

const HUGE = [0, 1, 2];
const STRIP_IN_IFD = 3;
const FAKE_DEFLATE_S2 = 4;
const GOOD = 5;

const ffName = Buffer.concat([Buffer.from('odd-'), Buffer.from([0xff]), Buffer.from('-name.tif')]);
const newlineName = Buffer.from('two\nlines\\.tif');

beforeAll(async () => {
  root = await syntheticDataset(work, 1, 8);
  refs = s2Patches(root);
  // Three 2e9-byte sparse files named like LC patches (a good header, then a hole): no real 2 GB written.
  for (const i of HUGE) fs.truncateSync(file(refs[i], 'lc'), 2e9);
  stripIntoIfd(file(refs[STRIP_IN_IFD], 'lc'));
  markDeflate(file(refs[FAKE_DEFLATE_S2], 's2'));
  const s2Folder = path.dirname(file(refs[0], 's2'));
  for (const name of [ffName, newlineName]) fs.writeFileSync(Buffer.concat([Buffer.from(s2Folder + '/'), name]), 'x');
  const before = process.memoryUsage().rss;
  result = await index(root, { db: path.join(work, 'catalog.sqlite'), workers: 2 });
  rssGrowth = process.memoryUsage().rss - before;
  db = new Database(result.db, { readonly: true });
}, 60_000);

afterAll(() => {
  db?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('index on hostile files', () => {
  it('reports 2e9-byte LC files as problems without reading them', () => {
    for (const i of HUGE) {
      expect(problems(patchRelPath(refs[i], 'lc')).join()).toMatch(/size disagrees with the header: 2000000000 bytes/);
      expect(catalogued(refs[i])).toBe(false);
    }
    // Three whole reads would be 6 GB; the header ranges are a few KB.
    expect(rssGrowth).toBeLessThan(100 * 1024 * 1024);
  });

  it('reports LC strip offsets into the image directory instead of cataloguing garbage labels', () => {
    expect(problems(patchRelPath(refs[STRIP_IN_IFD], 'lc')).join()).toMatch(/strip 0 .* overlaps the image directory/);
    expect(catalogued(refs[STRIP_IN_IFD])).toBe(false);
  });

  it('catches an S2 marked DEFLATE holding raw bytes at index time', () => {
    expect(problems(patchRelPath(refs[FAKE_DEFLATE_S2], 's2')).join()).toMatch(/corrupt strip 0/);
    expect(catalogued(refs[FAKE_DEFLATE_S2])).toBe(false);
  });

  it('catalogues the good patches, and their bands read in the decode pool', async () => {
    expect(result.triplets).toBe(refs.length - HUGE.length - 2);
    expect(catalogued(refs[GOOD])).toBe(true);
    const pool = new DecodePool({ size: 1 });
    try {
      const raster = await pool.readPatch('s2', file(refs[GOOD], 's2'), { bands: [1, 2, 3] });
      expect(raster.data).toHaveLength(3);
      expect(raster.width).toBe(256);
    } finally {
      await pool.close();
    }
  });

  it('stores odd file names escaped, mapping back to the real file', () => {
    const folderRel = path.dirname(patchRelPath(refs[0], 's2'));
    const rows = db.prepare('SELECT file, reason FROM problems WHERE file LIKE ?').all(`${folderRel}/%`) as { file: string; reason: string }[];
    const ff = `${folderRel}/odd-\\xff-name.tif`;
    const nl = `${folderRel}/two\\x0alines\\\\.tif`;
    expect(rows.map((r) => r.file)).toEqual(expect.arrayContaining([ff, nl]));
    for (const row of rows) {
      expect(row.file).not.toMatch(/[\u0000-\u001f\ufffd]/);
      expect(row.reason).not.toMatch(/[\u0000-\u001f]/);
    }
    for (const rel of [ff, nl]) {
      const real = Buffer.concat([Buffer.from(root + '/'), Buffer.from(unescapeFileName(rel))]);
      expect(fs.existsSync(real)).toBe(true);
    }
  });
});

describe('escapeFileName', () => {
  it('keeps UTF-8 names, escapes undecodable bytes, control characters and backslashes, and maps back', () => {
    const cases: [Uint8Array, string][] = [
      [Buffer.from('ROIs1158_spring_s2_1_p30.tif'), 'ROIs1158_spring_s2_1_p30.tif'],
      [Buffer.from('café ☃ 𝄞.tif'), 'café ☃ 𝄞.tif'],
      [ffName, 'odd-\\xff-name.tif'],
      [newlineName, 'two\\x0alines\\\\.tif'],
      [Buffer.from([0x61, 0xc3]), 'a\\xc3'],
      [Buffer.from([0xed, 0xa0, 0x80]), '\\xed\\xa0\\x80'],
      [Buffer.from('\u0085\u007f\t'), '\\xc2\\x85\\x7f\\x09'],
      [Buffer.from('a\\x41'), 'a\\\\x41'],
    ];
    for (const [bytes, text] of cases) {
      expect(escapeFileName(bytes)).toBe(text);
      expect(Buffer.from(unescapeFileName(text)).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(() => unescapeFileName('bad\\q')).toThrow(RangeError);
  });
});
