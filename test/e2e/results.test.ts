/**
 * The results view end to end in Chromium against `sen12ms-studio serve` on the embedded sample:
 * a tiny finetune and two evaluations started through the API (by scene, and by two posted
 * regions: one around the whole data set, one around a single train patch), then what the user
 * sees: one metric name with its definition in headline, table and legend, the choropleth at
 * world zoom, an empty region's reason in the table and on the map, a group's name zooming the
 * map to it, the per-class confusion and the precision-recall curves. One server, one page.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/results-*.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRequest } from '../../core/common/api/contract.js';
import type { PatchDetail } from '../../core/common/catalog/patch-types.js';
import { sceneKey } from '../../core/common/dataset/names.js';
import type { MultiLabelReport } from '../../core/common/metrics/report-types.js';
import { METRIC_DEFINITIONS, METRIC_TITLES } from '../../core/common/metrics/report-types.js';
import { rampColour } from '../../core/common/preview/palettes.js';
import type { StudioServer } from '../../bench/ui-server.js';
import { CHOROPLETH_RAMP } from '../../renderer/src/lib/map/choropleth.js';
import { apiCall, chromiumAvailable, inViewCount, JOB_TIMEOUT, listedIds, openStudio, openTab, textOf, waitForCatalog, type Studio } from './e2e-fixture.js';

/** The DOM the in-page functions touch; the tests are typed for Node, without the DOM library. */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

describe.skipIf(!chromiumAvailable)('the results view in Chromium (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let server: StudioServer;
  let page: Page;
  let dataset: string;
  let patches: PatchDetail[];
  let byScene: string;
  let byRegion: string;

  async function finished(request: JobRequest): Promise<string> {
    const job = await apiCall(server, 'jobs.start', { dataset, ...request });
    const state = async () => (await apiCall(server, 'jobs.list', {})).find((j) => j.id === job.id)!;
    await expect.poll(async () => (await state()).state, { timeout: JOB_TIMEOUT, interval: 500 }).toMatch(/completed|failed|interrupted|cancelled/);
    const done = await state();
    if (done.state !== 'completed') throw new Error(`${request.kind} ${job.id} ended ${done.state}: ${done.error}\n${(await apiCall(server, 'jobs.log', { id: job.id, tail: 30 })).lines.join('\n')}`);
    return job.id;
  }


  async function showEvaluation(job: string): Promise<void> {
    await page.getByTestId('results-select').locator(`option[value="${job}"]`).waitFor({ state: 'attached', timeout: 30_000 });
    await page.getByTestId('results-select').selectOption(job);
    await page.getByTestId('choropleth-legend').waitFor({ timeout: 30_000 });
  }

  beforeAll(async () => {
    studio = await openStudio();
    ({ server, page } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('trains a tiny finetune and evaluates it by scene and by two posted regions, through the API', async () => {
    dataset = await waitForCatalog(studio);
    patches = (await apiCall(server, 'catalog.query', { dataset, query: { fields: 'full' } })).patches as PatchDetail[];

    const model = await finished({
      kind: 'finetune',
      // 32 random patches: the one epoch ends within the steps (validated, a best checkpoint)
      options: { variant: 'supervised', input: 's2', scheme: 'multi', depth: 10, size: 32, batchSize: 8, epochs: 1, maxSteps: 6, seed: 3, subset: 'random:32' },
    });
    byScene = await finished({ kind: 'evaluate', options: { model, split: 'test', by: 'scene' } });
    // Two posted regions: the whole data set, and a box around one train patch's centre alone
    // (no test patch there), which a test-split evaluation leaves empty.
    const [minLon, minLat, maxLon, maxLat] = (await apiCall(server, 'datasets.list', {}))[0].bbox!;
    const box = (a: number, b: number, c: number, d: number) => ({ type: 'Polygon' as const, coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] });
    const lonely = patches.find((p) => p.split === 'train')!;
    const [lon, lat] = lonely.centroid;
    await apiCall(server, 'annotations.apply', { dataset, change: { kind: 'region', region: { id: 'all', name: 'everywhere', geometry: box(minLon - 1, minLat - 1, maxLon + 1, maxLat + 1) } } });
    await apiCall(server, 'annotations.apply', { dataset, change: { kind: 'region', region: { id: 'one', name: 'one train patch', geometry: box(lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002) } } });
    byRegion = await finished({ kind: 'evaluate', options: { model, split: 'test', by: 'regions' } });
    await page.reload();
    await waitForCatalog(studio);
    await openTab(page, 'Results');
  }, 4 * JOB_TIMEOUT);

  it('names the headline metric identically in the headline, the group table and the map legend, with its definition on hover', async () => {
    await showEvaluation(byScene);
    const result = await apiCall(server, 'results.get', { job: byScene });
    expect(result.overall.task).toBe('multi_label');
    const names = page.getByTestId('metric-name');
    await expect.poll(() => names.count()).toBe(3);
    for (const within of ['results-overall', 'group-table', 'choropleth-legend']) {
      const name = page.getByTestId(within).getByTestId('metric-name');
      expect(await name.textContent()).toBe(METRIC_TITLES.jaccard_samples);
      expect(await name.getAttribute('title')).toBe(METRIC_DEFINITIONS.jaccard_samples);
    }
    expect(await textOf(page, 'results-overall')).toBe(
      `${METRIC_TITLES.jaccard_samples}: ${(result.overall as MultiLabelReport).jaccard_samples.toFixed(4)} on ${result.overall.n} patches (test)`,
    );
    // the table's figures are the groups' headline values
    const rows = page.getByTestId('group-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(result.groups!.length);
    for (const g of result.groups!) {
      const cells = await page.locator(`[data-testid="group-row"][data-group="${g.group}"] td`).allTextContents();
      expect(cells.at(-1)).toBe((g.report as MultiLabelReport).jaccard_samples.toFixed(4));
    }
  });

  it('draws the choropleth at world zoom, a marker per scene in its colour, and a group name zooms the map onto that group', async () => {
    const result = await apiCall(server, 'results.get', { job: byScene });
    // out to the whole world: the overlay's fit is zoom 12 at most, and 16 clicks of one zoom
    // level each end at the view's minimum (0), where a scene's hull is far below a pixel
    for (let i = 0; i < 16; i++) {
      await page.locator('.ol-zoom-out').click();
      await page.waitForTimeout(300);
    }
    await page.waitForTimeout(600);
    const colours = result.groups!.map((g) => rampColour((g.report as MultiLabelReport).jaccard_samples, CHOROPLETH_RAMP) as number[]);
    const found = await page.getByTestId('map').evaluate((el, wanted) => {
      const hits = new Set<number>();
      for (const canvas of Array.from((el as unknown as { querySelectorAll(s: string): ArrayLike<PageCanvas> }).querySelectorAll('canvas'))) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0) continue;
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] !== 255) continue;
          wanted.forEach((c, k) => {
            if (data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2]) hits.add(k);
          });
        }
      }
      return hits.size;
    }, colours);
    // scenes of one place overlap at world zoom, so not every marker shows; at least one must
    expect(found).toBeGreaterThan(0);
    await page.screenshot({ path: join(studio.shots, 'results-world.png') });

    const group = result.groups![0].group;
    const members = patches.filter((p) => sceneKey(p) === group).map((p) => p.id);
    expect(members.length).toBeGreaterThan(0);
    await page.locator(`[data-testid="group-row"][data-group="${group}"]`).getByTestId('group-zoom').click();
    await expect.poll(() => inViewCount(page), { timeout: 10_000 }).toBeLessThan(patches.length);
    // the list is virtualised: narrow it to the evaluated split to see every member among its rows
    const splitBox = page.getByRole('group', { name: 'Split' }).getByLabel('test');
    await splitBox.check();
    await expect.poll(() => listedIds(page), { timeout: 10_000 }).toEqual(expect.arrayContaining(members));
    await splitBox.uncheck();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(studio.shots, 'results-scene.png') });
  });

  it('shows the per-class confusion and a precision-recall curve per class from the recorded probabilities', async () => {
    const result = await apiCall(server, 'results.get', { job: byScene });
    const classes = result.overall.per_class.map((c) => c.name);
    const matrix = page.getByTestId('confusion-matrix');
    expect(await matrix.getAttribute('data-task')).toBe('multi_label');
    const rows = matrix.locator('tbody tr');
    expect(await rows.count()).toBe(classes.length);
    for (let k = 0; k < classes.length; k++) {
      const [tp, fp, fn, tn] = (await rows.nth(k).locator('td').allTextContents()).map(Number);
      expect(tp + fp + fn + tn).toBe(result.overall.n);
      // support is the class's true patches: TP + FN
      expect(tp + fn).toBe(result.overall.per_class[k].support);
    }
    const curves = page.getByTestId('pr-curve');
    expect(await curves.count()).toBe(classes.length);
    const drawn = await page.getByTestId('pr-curves').locator('polyline').evaluateAll((lines) => lines.map((l) => (l as unknown as { getAttribute(n: string): string }).getAttribute('points').split(' ').length));
    expect(drawn.length).toBe(result.overall.per_class.filter((c) => c.support > 0).length);
    expect(drawn.every((n) => n >= 2)).toBe(true);
    await page.getByTestId('pr-curves').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(studio.shots, 'results-curves.png') });
  });

  it('an empty region says why, in the table and on the map', async () => {
    await showEvaluation(byRegion);
    const reason = page.locator('[data-testid="group-reason"]');
    await expect.poll(() => reason.count(), { timeout: 10_000 }).toBe(1);
    expect(((await reason.textContent()) ?? '').trim()).toMatch(
      /^no test-split patches inside this region; \d+ train-split (patch lies|patches lie) inside: evaluate on split 'train' or 'all'$/,
    );
    const row = page.locator('[data-testid="group-row"][data-group="one train patch"]');
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual(['0', '–']);
    // zoomed onto the empty region, hovering its middle gives the reason under the legend
    await row.getByTestId('group-zoom').click();
    await page.waitForTimeout(800);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2 - 3);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('choropleth-legend').locator('.hover').textContent(), { timeout: 5_000 }).toMatch(
      /^one train patch: no test-split patches inside this region; /,
    );
    await page.screenshot({ path: join(studio.shots, 'results-region.png') });
  });

  it('raised no page error and no Content-Security-Policy refusal', () => {
    expect(studio.pageErrors).toEqual([]);
    expect(studio.cspViolations).toEqual([]);
  });
});
