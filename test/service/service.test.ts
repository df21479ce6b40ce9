/**
 * The service through the in-process client: every call below goes through the same validation
 * a remote client's call does. Jobs are covered in service-jobs.test.ts; here no job starts, so
 * the job process factory refuses to be called.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPatch } from '../../core/dataset/patch-reader.js';
import type { ApiClient, DatasetInfo, StudioEvent } from '../../core/common/api/contract.js';
import { inProcessClient } from '../../core/service/in-process-client.js';
import { createStudioService, type StudioService } from '../../core/service/service.js';
import { openStartDataset } from '../../core/service/start-dataset.js';
import { packageFile } from '../../core/util/package-root.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { cacheIn, refusal, tearDown } from './service-fixture.js';

let root: string;
let dataDir: string;
let datasetDir: string;
let service: StudioService;
let api: ApiClient;
let info: DatasetInfo;
const openingEvents: StudioEvent[] = [];

const noJobs = () => {
  throw new Error('this test starts no job');
};

async function open(): Promise<StudioService> {
  return createStudioService({ dataDir, mode: 'server', createJobProcess: noJobs, sampleCacheDir: path.join(root, 'cache') });
}


beforeAll(async () => {
  root = tempDir('service');
  cacheIn(root);
  dataDir = path.join(root, 'data');
  datasetDir = await syntheticDataset(root, 3, 4);
  service = await open();
  api = inProcessClient(service);
  const off = api.onEvent((e) => openingEvents.push(e));
  info = await api.call('datasets.open', { dir: datasetDir });
  off();
}, 120_000);

afterAll(() => tearDown(service, root));

describe('data sets', () => {
  it('opens a folder: indexed, described, listed, with a stable id', async () => {
    expect(info).toMatchObject({ dir: datasetDir, name: path.basename(datasetDir), triplets: 12, patches: 12, problems: 0, sample: false });
    expect(info.id).toMatch(/^[0-9a-f]{12}$/);
    // indexing reported its progress, ending with every S2 file handled
    const progress = openingEvents.flatMap((e) => (e.type === 'dataset.index' ? [e] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.dataset === info.id)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 12, total: 12 });
    const [minLon, minLat, maxLon, maxLat] = info.bbox!;
    expect(minLon).toBeLessThan(maxLon);
    expect(minLat).toBeLessThan(maxLat);
    const again = await api.call('datasets.open', { dir: datasetDir });
    expect(again.id).toBe(info.id);
    expect((await api.call('datasets.list', {})).map((d) => d.id)).toEqual([info.id]);
    expect((await api.call('settings.get', {})).lastDataset).toBe(datasetDir);
  });

  it('remembers opened data sets across a restart', async () => {
    const other = await open();
    try {
      const list = await inProcessClient(other).call('datasets.list', {});
      expect(list).toEqual([info]);
      const page = await inProcessClient(other).call('catalog.query', { dataset: info.id, query: { page: { offset: 0, limit: 1 } } });
      expect(page.total).toBe(12);
    } finally {
      await other.close();
    }
  });

  it('opens at start the data set opened last (desktop and server mode alike), not the embedded sample', async () => {
    const other = await open();
    try {
      const warnings: string[] = [];
      expect(await openStartDataset(other, undefined, (w) => warnings.push(w))).toMatchObject({ id: info.id, dir: datasetDir, sample: false });
      expect(warnings).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('refuses a relative, missing or non-folder path, naming it', async () => {
    expect(await refusal(api.call('datasets.open', { dir: 'relative/folder' }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.dir: must be an absolute folder/) });
    expect(await refusal(api.call('datasets.open', { dir: path.join(root, 'nope') }))).toMatchObject({ code: 'not-found', message: expect.stringContaining(path.join(root, 'nope')) });
    const file = path.join(root, 'file.txt');
    fs.writeFileSync(file, 'x');
    expect(await refusal(api.call('datasets.open', { dir: file }))).toMatchObject({ code: 'invalid-params', message: `${file}: not a folder` });
  });
});

describe('calls are checked where they enter', () => {
  it('refuses unknown methods and malformed params, naming the field', async () => {
    expect(await refusal(service.call('catalog.drop', {}))).toMatchObject({ code: 'unknown-method', message: 'unknown method "catalog.drop"' });
    expect(await refusal(service.call('datasets.open', {}))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.dir: is missing/) });
    expect(await refusal(service.call('datasets.open', { dir: 3 }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.dir: .*string/) });
    expect(await refusal(service.call('jobs.list', { extra: 1 }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.extra/) });
    expect(await refusal(service.call('catalog.query', { dataset: info.id, query: { season: ['monsoon'] } }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/query\.season\[0\]: must be one of/),
    });
    expect(await refusal(service.call('catalog.query', { dataset: 'feedfeedfeed', query: {} }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/data set "feedfeedfeed" is not open/) });
  });
});

describe('catalog and patches', () => {
  it('queries pages, boxes and class counts', async () => {
    const all = await api.call('catalog.query', { dataset: info.id, query: {} });
    expect(all.total).toBe(12);
    expect(all.patches).toHaveLength(12);
    const first = all.patches[0];
    const [lon, lat] = first.centroid;
    const box = await api.call('catalog.query', { dataset: info.id, query: { bbox: [lon - 1e-6, lat - 1e-6, lon + 1e-6, lat + 1e-6] } });
    expect(box.patches.map((p) => p.id)).toContain(first.id);
    expect(box.total).toBeLessThan(12);
    const counts = await api.call('catalog.classCounts', { dataset: info.id, query: {} });
    expect(counts.reduce((s, c) => s + c.count, 0)).toBe(12);
    expect(counts.find((c) => c.label === first.label)!.count).toBe(all.patches.filter((p) => p.label === first.label).length);
  });

  it('gives a patch with its annotation, and refuses one the catalog does not hold', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: { page: { offset: 2, limit: 1 } } });
    const view = await api.call('patch.get', { dataset: info.id, id: patches[0].id });
    expect(view).toMatchObject({ id: patches[0].id, annotation: null, sensors: ['lc', 's1', 's2'] });
    expect(view.footprint.length).toBeGreaterThanOrEqual(5);
    expect(await refusal(api.call('patch.get', { dataset: info.id, id: 'ROIs1158_spring_999_p1' }))).toMatchObject({ code: 'not-found', message: expect.stringContaining('ROIs1158_spring_999_p1') });
    expect(await refusal(api.call('patch.get', { dataset: info.id, id: 'not-a-patch' }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/query\.ids\[0\]/) });
  });

  it('returns the bands exactly as the files hold them', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: { fields: 'full', page: { offset: 0, limit: 1 } } });
    const detail = patches[0] as import('../../core/common/catalog/patch-types.js').PatchDetail;
    for (const sensor of ['s1', 's2', 'lc'] as const) {
      const arrays = await api.call('patch.bands', { dataset: info.id, id: detail.id, sensor });
      const direct = await readPatch(sensor, path.join(datasetDir, detail.paths[sensor]!));
      expect(arrays.bands.map((b) => b.dtype)).toEqual(arrays.bands.map(() => direct.dtype));
      expect(arrays.bands).toHaveLength({ s1: 2, s2: 13, lc: 4 }[sensor]);
      expect(arrays.bands[0].name).toBe({ s1: 'VV', s2: 'B1', lc: 'IGBP' }[sensor]);
      arrays.bands.forEach((band, i) => {
        const bytes = Buffer.from(band.data, 'base64');
        const d = direct.data[i];
        expect(bytes.equals(Buffer.from(d.buffer, d.byteOffset, d.byteLength))).toBe(true);
      });
    }
  });

  it('renders a composite as a PNG with the ranges it used', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: { page: { offset: 0, limit: 1 } } });
    const preview = await api.call('patch.preview', { dataset: info.id, id: patches[0].id, composite: 's2-true-colour', low: 1, high: 99 });
    const png = Buffer.from(preview.png, 'base64');
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(png.readUInt32BE(16)).toBe(256);
    expect(preview.ranges).toHaveLength(3);
    for (const r of preview.ranges) expect(r.min).toBeLessThan(r.max);
    const lc = await api.call('patch.preview', { dataset: info.id, id: patches[0].id, composite: 'lc-igbp' });
    expect(lc.legend!.length).toBeGreaterThan(0);
    expect(await refusal(api.call('patch.preview', { dataset: info.id, id: patches[0].id, composite: 'rainbow' as 's2-swir' }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.composite: unknown composite "rainbow"/) });
    expect(await refusal(api.call('patch.preview', { dataset: info.id, id: patches[0].id, composite: 's1-vv', low: 60, high: 40 }))).toMatchObject({ code: 'invalid-params' });
  });
});

describe('annotations', () => {
  it('commits, filters, undoes and redoes, announcing each change, and keeps it across a restart', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: {} });
    const [a, b] = patches;
    const events: StudioEvent[] = [];
    const off = api.onEvent((e) => events.push(e));
    const relabel = (a.label % 10) + 1;
    const applied = await api.call('annotations.apply', { dataset: info.id, change: { kind: 'patch', patch: a.id, set: { label: relabel } } });
    expect(applied).toMatchObject({ target: 'patch', key: a.id, state: { label: relabel, noisy: false } });
    await api.call('annotations.apply', { dataset: info.id, change: { kind: 'patch', patch: b.id, set: { noisy: true } } });
    expect(events.filter((e) => e.type === 'annotations.changed')).toHaveLength(2);

    const count = async (annotation: 'annotated' | 'unannotated' | 'noisy') => (await api.call('catalog.query', { dataset: info.id, query: {}, annotation })).total;
    expect(await count('annotated')).toBe(2);
    expect(await count('noisy')).toBe(1);
    expect(await count('unannotated')).toBe(10);
    const counted = await api.call('catalog.classCounts', { dataset: info.id, query: {}, annotation: 'unannotated' });
    expect(counted.reduce((s, c) => s + c.count, 0)).toBe(10);

    expect((await api.call('patch.get', { dataset: info.id, id: a.id })).annotation).toMatchObject({ label: relabel });
    const undone = await api.call('annotations.undo', { dataset: info.id });
    expect(undone).toMatchObject({ key: b.id, state: null });
    expect(await count('noisy')).toBe(0);
    expect((await api.call('annotations.redo', { dataset: info.id }))?.key).toBe(b.id);
    expect(events.filter((e) => e.type === 'annotations.changed')).toHaveLength(4);
    off();

    expect(await refusal(api.call('annotations.apply', { dataset: info.id, change: { kind: 'patch', patch: a.id, set: { label: 11 } } }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/set\.label: must be <= 10, got 11/),
    });

    const other = await open();
    try {
      const after = await inProcessClient(other).call('annotations.get', { dataset: info.id });
      expect(after.patches.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
      expect(after.canUndo).toBe(true);
      const geojson = await inProcessClient(other).call('annotations.exportGeojson', { dataset: info.id });
      expect(geojson.features.filter((f) => f.properties.kind === 'patch')).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});

describe('annotations in bulk and from a file', () => {
  it('a batch changes every listed patch as one undo step, reported with every patch', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: {} });
    const ids = patches.slice(2, 7).map((p) => p.id);
    const applied = await api.call('annotations.apply', { dataset: info.id, change: { kind: 'patches', patches: ids, set: { label: 9, noisy: true } } });
    expect(applied.items.map((i) => i.key)).toEqual(ids);
    const labelled = async () => (await api.call('annotations.get', { dataset: info.id })).patches.filter((p) => ids.includes(p.id) && p.label === 9).length;
    expect(await labelled()).toBe(5);
    const undone = await api.call('annotations.undo', { dataset: info.id });
    expect(undone!.items.map((i) => i.key).sort()).toEqual([...ids].sort());
    expect(await labelled()).toBe(0);
    expect((await api.call('annotations.redo', { dataset: info.id }))!.items).toHaveLength(5);
    expect(await labelled()).toBe(5);
    expect(await refusal(api.call('annotations.apply', { dataset: info.id, change: { kind: 'patches', patches: [ids[0], 'p1'], set: { label: 1 } } }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/patches\[1\]: not a SEN12MS patch id/),
    });
  });

  it('imports the regions of a GeoJSON text as one undo step; a bad file is refused by field, its text never echoed', async () => {
    const ring = [[10, 45], [11, 45], [11, 46], [10, 45]];
    const feature = (name: string) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [ring] } });
    const text = JSON.stringify({ type: 'FeatureCollection', features: [feature('North field'), feature('South field'), feature('North field')] });
    const before = (await api.call('annotations.get', { dataset: info.id })).regions.length;
    const applied = await api.call('annotations.importRegions', { dataset: info.id, name: 'fields.geojson', text });
    // features sharing a name are one region (a MultiPolygon)
    expect(applied.items.map((i) => (i.state as { name: string }).name)).toEqual(['North field', 'South field']);
    const { regions } = await api.call('annotations.get', { dataset: info.id });
    expect(regions).toHaveLength(before + 2);
    expect(regions.find((r) => r.name === 'North field')!.geometry.type).toBe('MultiPolygon');
    expect((await api.call('annotations.undo', { dataset: info.id }))!.items).toHaveLength(2);
    expect((await api.call('annotations.get', { dataset: info.id })).regions).toHaveLength(before);

    const secret = 'SECRET-TEXT-OF-THE-FILE';
    const badType = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: secret, coordinates: [] } }] });
    const refused = await refusal(api.call('annotations.importRegions', { dataset: info.id, name: 'bad.geojson', text: badType }));
    expect(refused).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/^bad\.geojson: features\[0\]\.geometry\.type: expected Polygon or MultiPolygon, got a string of 23 characters/) });
    const notJson = await refusal(api.call('annotations.importRegions', { dataset: info.id, name: 'x.geojson', text: `{"type": ${secret}` }));
    expect(notJson.message).toMatch(/^x\.geojson: not valid JSON/);
    for (const m of [refused.message, notJson.message]) expect(m).not.toContain(secret);
    expect(await refusal(api.call('annotations.importRegions', { dataset: info.id, name: 'big.geojson', text: 'x'.repeat(1_000_001) }))).toMatchObject({
      code: 'invalid-params',
      message: expect.stringMatching(/params\.text/),
    });
    expect((await api.call('annotations.get', { dataset: info.id })).regions).toHaveLength(before);
  });
});

describe('files of a data set', () => {
  it('resolves files inside the data set only', async () => {
    const { patches } = await api.call('catalog.query', { dataset: info.id, query: { fields: 'full', page: { offset: 0, limit: 1 } } });
    const rel = (patches[0] as import('../../core/common/catalog/patch-types.js').PatchDetail).paths.s2;
    expect(await service.resolveFile(info.id, rel)).toBe(fs.realpathSync(path.join(datasetDir, rel)));
    const outside = path.join(root, 'secret.txt');
    fs.writeFileSync(outside, 'secret');
    fs.symlinkSync(outside, path.join(datasetDir, 'link.txt'));
    expect(await refusal(service.resolveFile(info.id, 'link.txt'))).toMatchObject({ code: 'not-found' }); // not a raster of the catalog
    expect(await refusal(service.resolveFile(info.id, '../secret.txt'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(service.resolveFile(info.id, `${path.basename(path.dirname(rel))}/../../../secret.txt`))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(service.resolveFile(info.id, outside))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(service.resolveFile(info.id, 'a\0b'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(service.resolveFile(info.id, 'missing.tif'))).toMatchObject({ code: 'not-found' });
    expect(await refusal(service.resolveFile(info.id, '.'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(service.resolveFile('feedfeedfeed', rel))).toMatchObject({ code: 'not-found' });
    fs.rmSync(path.join(datasetDir, 'link.txt'));
  });
});

describe('app and settings', () => {
  it('describes itself and checks settings', async () => {
    const version = JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version;
    expect(await api.call('app.info', {})).toEqual({ apiVersion: 1, version, mode: 'server', dataDir });
    expect((await api.call('settings.set', { key: 'theme', value: 'dark' })).theme).toBe('dark');
    expect(await refusal(api.call('settings.set', { key: 'theme', value: 'pink' }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/theme: must be one of/) });
    expect(await refusal(api.call('settings.set', { key: 'colour', value: 'red' }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/unknown key "colour"/) });
    // a client could otherwise make any folder a data set and read its files through /files
    expect(await refusal(api.call('settings.set', { key: 'datasets', value: ['/'] }))).toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/params\.key: datasets is kept by the app/) });
    expect((await api.call('settings.get', {})).datasets).toEqual([datasetDir]);
  });
});
