import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { runCli } from './capture.js';

const work = tempDir('cli');
const dbFile = path.join(work, 'catalog.sqlite');
let root = '';

beforeAll(async () => {
  root = await syntheticDataset(work, 2, 2);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('sen12ms-studio index', () => {
  it('prints exactly one JSON line {"triplets","problems","seconds"} and exits 0', async () => {
    fs.writeFileSync(path.join(root, fs.readdirSync(root)[0], 'stray.txt'), 'x');
    const r = await runCli(['index', root, '--db', dbFile]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const json = JSON.parse(lines[0]);
    expect(Object.keys(json)).toEqual(['triplets', 'problems', 'seconds']);
    expect(json.triplets).toBe(4);
    expect(json.problems).toBe(1);
    expect(json.seconds).toBeGreaterThan(0);
    expect(r.stderr).toContain(dbFile);
  });

  it('exits 1 with a clear message when the folder is missing or not a folder', async () => {
    const missing = await runCli(['index', path.join(work, 'nope'), '--db', path.join(work, 'x.sqlite')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/nope.*does not exist/);
    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, 'x');
    const notDir = await runCli(['index', file, '--db', path.join(work, 'x.sqlite')]);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(/a-file.*not a directory/);
    expect(fs.existsSync(path.join(work, 'x.sqlite'))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)('exits 1 when the folder cannot be read (skipped as root, where chmod 000 does not block reads)', async () => {
    const locked = path.join(work, 'locked');
    fs.mkdirSync(locked);
    fs.chmodSync(locked, 0);
    try {
      const r = await runCli(['index', locked, '--db', path.join(work, 'y.sqlite')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/locked.*cannot read \(EACCES\)/);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });

  it('exits 2 on a wrong command line', async () => {
    expect((await runCli(['index'])).code).toBe(2);
    expect((await runCli(['index', root, '--bogus'])).code).toBe(2);
  });
});

describe('sen12ms-studio catalog', () => {
  it('writes GeoJSON to stdout, and the same bytes to --out', async () => {
    const r = await runCli(['catalog', dbFile, '--format', 'geojson']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features).toHaveLength(4);
    const out = path.join(work, 'patches.geojson');
    expect((await runCli(['catalog', dbFile, '--format', 'geojson', '--out', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  it('writes CSV with a header and one line per patch', async () => {
    const r = await runCli(['catalog', dbFile, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0].startsWith('id,roi,season,scene,patch,split,epsg,sensors,')).toBe(true);
    expect(lines).toHaveLength(6); // header, 4 patches, and the empty rest after the last CRLF
  });

  it('exits 2 without --format or with an unknown one, 1 for a file that is no catalog', async () => {
    expect((await runCli(['catalog', dbFile])).code).toBe(2);
    const bad = await runCli(['catalog', dbFile, '--format', 'kml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be geojson or csv/);
    const missing = await runCli(['catalog', path.join(work, 'missing.sqlite'), '--format', 'csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.sqlite/);
    const text = path.join(work, 'text.sqlite');
    fs.writeFileSync(text, 'hello '.repeat(200));
    expect((await runCli(['catalog', text, '--format', 'csv'])).code).toBe(1);
  });
});
