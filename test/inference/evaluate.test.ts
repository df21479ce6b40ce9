import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../core/backend/select.js';
import { SIMPLIFIED_CLASSES } from '../../core/common/dataset/labels.js';
import { multiLabelReport } from '../../core/metrics/report.js';
import { loadPatchItems, type PatchItem } from '../../core/sampler/patch-items.js';
import { evaluate } from '../../core/inference/evaluate.js';
import { makeFixture, type Fixture } from '../sampler/fixture.js';
import { exportedFusionClassifier, finetuneRun } from '../training/weights-fixtures.js';

let fx: Fixture;
let root: string;
let items: PatchItem[];

beforeAll(async () => {
  await initBackend({ purpose: 'infer', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 4, patchesPerScene: 4, seed: 3 });
  root = await mkdtemp(join(tmpdir(), 'evaluate-'));
  items = loadPatchItems(fx.catalog);
});

afterAll(async () => {
  await fx?.cleanup();
  await rm(root, { recursive: true, force: true });
});

/** RFC 4180 parsing of the rows our writer produces (quoted cells hold no line breaks). */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n').map((line) => {
    const cells: string[] = [];
    const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/gy;
    for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
      cells.push(m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]);
      if (m[2] === '') break;
    }
    return cells;
  });
}

describe('evaluate', () => {
  it('multi-label: CSV rows agree with the report, groups add up, an export gives the same numbers', async () => {
    const { dir, encoder } = await finetuneRun(join(root, 'runs'), { catalog: fx.catalog, depth: 10, size: 16, input: 's2' });
    const csvPath = join(root, 'predictions.csv');
    const result = await evaluate({ model: dir, catalog: fx.catalog, split: 'all', by: 'season', predictions: csvPath, batchSize: 5 });
    expect(result.overall.task).toBe('multi_label');
    expect(result.overall.n).toBe(items.length);
    expect(result.groups!.map((g) => g.group)).toEqual(['spring', 'summer', 'fall', 'winter']);
    expect(result.groups!.reduce((s, g) => s + g.n, 0)).toBe(items.length);

    const [header, ...rows] = parseCsv(await readFile(csvPath, 'utf8'));
    expect(header).toEqual(['id', 'true_labels', ...SIMPLIFIED_CLASSES.map((_, k) => `score_${k + 1}`), 'predicted_labels']);
    expect(rows.map((r) => r[0])).toEqual(items.map((it) => it.id));
    const byId = new Map(items.map((it) => [it.id, it]));
    const scores = rows.map((r) => r.slice(2, 12).map(Number));
    rows.forEach((r, i) => {
      expect(JSON.parse(r[1])).toEqual(byId.get(r[0])!.labels);
      expect(JSON.parse(r[12])).toEqual(scores[i].flatMap((p, k) => (p >= 0.5 ? [k + 1] : [])));
      for (const p of scores[i]) expect(p >= 0 && p <= 1).toBe(true);
    });
    const truth = rows.map((r) => SIMPLIFIED_CLASSES.map((_, k) => (JSON.parse(r[1]) as number[]).includes(k + 1) ? 1 : 0));
    expect(multiLabelReport(truth, scores, 0.5, SIMPLIFIED_CLASSES)).toEqual(result.overall);

    const exportDir = join(root, 'export');
    await exportedFusionClassifier(exportDir, encoder.params, { input: 's2', size: 16 });
    encoder.dispose();
    const exported = await evaluate({ model: exportDir, catalog: fx.catalog, split: 'all' });
    expect(exported.overall).toEqual(result.overall);
  });

  it('single-label through both 1x1 blocks, per GeoJSON region', async () => {
    const { dir, encoder } = await finetuneRun(join(root, 'runs'), { catalog: fx.catalog, depth: 10, size: 16, input: 's1s2', variant: 'supervised-1x1', scheme: 'single' });
    encoder.dispose();
    const test = items.filter((it) => it.split === 'test' && it.s1Path !== null);
    const [lon, lat] = test[0].centroid;
    const box = (d: number) => [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];
    const regions = join(root, 'regions.geojson');
    await writeFile(regions, JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'around' }, geometry: { type: 'Polygon', coordinates: box(0.5) } },
        { type: 'Feature', properties: { name: 'nowhere' }, geometry: { type: 'Polygon', coordinates: box(0.5).map((r) => r.map(([x, y]) => [x + 90, y])) } },
      ],
    }));
    const csvPath = join(root, 'single.csv');
    const result = await evaluate({ model: dir, catalog: fx.catalog, by: { regions }, predictions: csvPath });
    expect(result.overall).toMatchObject({ task: 'single_label', n: test.length });
    expect(result.groups).toMatchObject([{ group: 'around', n: test.length }, { group: 'nowhere', n: 0, report: null }]);
    const [, ...rows] = parseCsv(await readFile(csvPath, 'utf8'));
    for (const r of rows) {
      const scores = r.slice(2, 12).map(Number);
      expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(JSON.parse(r[12])).toEqual([scores.indexOf(Math.max(...scores)) + 1]);
      expect(JSON.parse(r[1])).toHaveLength(1);
    }
  });

  it('refuses a folder that is neither a run nor an export', async () => {
    await expect(evaluate({ model: root, catalog: fx.catalog })).rejects.toThrow(/neither a run directory .* nor an exported model/);
  });
});
