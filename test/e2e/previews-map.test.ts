/**
 * Previews and the map in Chromium against `sen12ms-studio serve` on the embedded sample: one band
 * with its colour bar, a custom RGB, the NDVI colour bar; the cursor readout, the legend clear of
 * the fitted data, the scale bar, the graticule at patch zoom, and the picker where footprints
 * overlap. One server and one page; UPDATE_SCREENSHOTS=1 writes docs/screenshots/preview-*.png
 * and map-*.png.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatchDetail } from '../../core/common/catalog/patch-types.js';
import { pointInPolygon } from '../../core/common/geo/point-in-polygon.js';
import { apiCall, chromiumAvailable, openStudio, textOf, waitForCatalog, type Studio } from './e2e-fixture.js';

/** The DOM this file's in-page functions touch; the tests are typed for Node, without the DOM library. */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

/** Distinct opaque colours of a canvas and a digest of its pixels (to tell two images apart). */
function canvasStats(canvas: Locator): Promise<{ colours: number; opaque: number; digest: number }> {
  return canvas.evaluate((el) => {
    const c = el as unknown as PageCanvas;
    if (c.width === 0 || c.height === 0) return { colours: 0, opaque: 0, digest: 0 };
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let opaque = 0;
    let digest = 0;
    for (let i = 0; i < data.length; i += 4) {
      digest = (Math.imul(digest, 31) + ((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])) | 0;
      if (data[i + 3] === 0) continue;
      opaque++;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return { colours: colours.size, opaque, digest };
  });
}

/** Degrees from a point to the nearest edge of a ring (planar: a patch is 2.56 km across). */
function edgeDistance([x, y]: [number, number], ring: [number, number][]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[i + 1];
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
    best = Math.min(best, Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))));
  }
  return best;
}

describe.skipIf(!chromiumAvailable)('previews and the map in Chromium (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let page: Page;
  let dataset: string;
  let s2: Locator;
  let canvas: Locator;

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
    s2 = page.locator('section[data-sensor="s2"]');
    canvas = s2.getByTestId('preview-canvas');
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  const map = () => page.getByTestId('map');
  const readout = () => page.getByTestId('cursor-readout');
  /** The cursor readout's lon/lat after moving the mouse to (x, y) on the page. */
  async function lonLatAt(x: number, y: number): Promise<[number, number]> {
    await page.mouse.move(x, y);
    await expect.poll(() => readout().getAttribute('data-lon')).not.toBeNull();
    return [Number(await readout().getAttribute('data-lon')), Number(await readout().getAttribute('data-lat'))];
  }

  it('fits the data left of the legend, and the cursor readout follows the mouse', async () => {
    dataset = await waitForCatalog(studio);
    const { total } = await apiCall(studio.server, 'catalog.query', { dataset, query: { page: { offset: 0, limit: 0 } } });
    await expect.poll(() => page.locator('.sidebar').textContent(), { timeout: 30_000 }).toContain(`in view ${total}`);
    await page.waitForTimeout(400);
    const [{ bbox }] = await apiCall(studio.server, 'datasets.list', {});
    const [minLon, , maxLon] = bbox!;
    const legend = (await page.getByTestId('map-legend').boundingBox())!;
    // Just left of the legend the map is already east of every patch: the legend covers none.
    const [lonLeftOfLegend] = await lonLatAt(legend.x - 3, legend.y + legend.height / 2);
    // The readout wraps at the antimeridian; a longitude west of every patch there is past it, east of them.
    expect(lonLeftOfLegend < minLon ? lonLeftOfLegend + 360 : lonLeftOfLegend).toBeGreaterThan(maxLon);
    const box = (await map().boundingBox())!;
    // Inside the fit's 40 px margin on the left: west of every patch.
    const [lonA, latA] = await lonLatAt(box.x + 20, box.y + 200);
    const [lonB, latB] = await lonLatAt(box.x + 220, box.y + 300);
    expect(lonB).toBeGreaterThan(lonA);
    expect(latB).toBeLessThan(latA);
    expect(lonA).toBeLessThan(minLon);
    expect(await textOf(page, 'cursor-readout')).toBe(`lon ${lonB.toFixed(5)}°, lat ${latB.toFixed(5)}°`);
    await page.screenshot({ path: join(studio.shots, 'map-fit.png') });

    // Collapsed, the legend is only its toggle; open again, it is whole.
    await page.getByTestId('legend-toggle').click();
    await expect.poll(() => page.getByTestId('colour-by').count()).toBe(0);
    expect((await page.getByTestId('map-legend').boundingBox())!.height).toBeLessThan(legend.height / 3);
    await page.getByTestId('legend-toggle').click();
    await page.getByTestId('colour-by').waitFor();
  });

  it('single band B10: pixels through viridis and a colour bar with its reflectance range', async () => {
    await page.getByRole('listbox', { name: 'Patches in view' }).getByRole('option').first().click();
    await canvas.waitFor({ timeout: 30_000 });
    const id = (await textOf(page, 'patch-title')).trim();
    await s2.getByTestId('preview-select').selectOption('band:B10');
    await expect.poll(() => canvas.getAttribute('data-preview')).toBe('band:B10');
    await expect.poll(async () => (await canvasStats(canvas)).colours, { timeout: 10_000 }).toBeGreaterThan(16);
    const bar = s2.getByTestId('colour-bar');
    const text = await textOf(s2, 'colour-bar');
    expect(text).toMatch(/B10 cirrus \(SWIR\), 1374 nm, 60 m · reflectance · viridis/);
    // The numbers are the service's own rendering of the same band with the same stretch.
    const served = await apiCall(studio.server, 'patch.preview', { dataset, id, composite: 'band:B10', low: 2, high: 98 });
    const { min, max } = served.colourBar!;
    expect(min).toBeLessThan(max);
    expect(await bar.getByTestId('colour-bar-tick').allTextContents()).toEqual([min, (min + max) / 2, max].map((v) => v.toFixed(3)));
    expect(await bar.getAttribute('data-ramp')).toBe('viridis');
    await page.screenshot({ path: join(studio.shots, 'preview-single-band.png') });
  });

  it('a custom RGB starts as true colour and changes the image when its bands change', async () => {
    await s2.getByTestId('preview-select').selectOption('s2-true-colour');
    await expect.poll(() => canvas.getAttribute('data-preview')).toBe('s2-true-colour');
    const trueColour = await canvasStats(canvas);
    await s2.getByTestId('preview-select').selectOption('custom-rgb');
    await expect.poll(() => canvas.getAttribute('data-preview')).toBe('rgb:B4,B3,B2');
    expect((await canvasStats(canvas)).digest).toBe(trueColour.digest);
    await s2.getByTestId('rgb-red').selectOption('B12');
    await s2.getByTestId('rgb-green').selectOption('B8');
    await s2.getByTestId('rgb-blue').selectOption('B4');
    await expect.poll(() => canvas.getAttribute('data-preview')).toBe('rgb:B12,B8,B4');
    const custom = await canvasStats(canvas);
    expect(custom.digest).not.toBe(trueColour.digest);
    expect(custom.colours).toBeGreaterThan(16);
    expect(await textOf(s2, 'preview-ranges')).toMatch(/^Range: B12 \d\.\d{3}…\d\.\d{3} reflectance · B8 .* · B4 .* reflectance$/);
    await page.screenshot({ path: join(studio.shots, 'preview-custom-rgb.png') });
  });

  it('NDVI has a colour bar naming its diverging ramp and its fixed range', async () => {
    await s2.getByTestId('preview-select').selectOption('s2-ndvi');
    await expect.poll(() => canvas.getAttribute('data-preview')).toBe('s2-ndvi');
    const bar = s2.getByTestId('colour-bar');
    const ticks = () => bar.getByTestId('colour-bar-tick').allTextContents();
    expect(await ticks()).toEqual(['-1.00', '0.00', '1.00']);
    expect(await textOf(s2, 'colour-bar')).toMatch(/NDVI · index · BrBG \(diverging\)$/);
    expect(await bar.getAttribute('data-ramp')).toBe('brbg');
    await s2.getByTestId('preview-select').selectOption('s2-ndwi');
    await expect.poll(() => bar.getAttribute('data-ramp')).toBe('rdbu');
    expect(await ticks()).toEqual(['-1.00', '0.00', '1.00']);
    expect(await textOf(s2, 'colour-bar')).toMatch(/NDWI · index · RdBu \(diverging\)$/);
    await s2.getByTestId('preview-select').selectOption('s2-ndvi');
    await page.screenshot({ path: join(studio.shots, 'preview-ndvi.png') });
  });

  it('a click where footprints overlap lists them; the choice selects; the scale bar, UTM readout and graticule show at patch zoom', async () => {
    const { patches } = await apiCall(studio.server, 'catalog.query', { dataset, query: { fields: 'full', page: { offset: 0, limit: 5000 } } });
    const details = patches as PatchDetail[];
    // Midway between two neighbours' centres: inside both (they overlap by half), maybe more. Of
    // those points, the one farthest from any footprint's edge, so that a click a pixel off still
    // lands inside the same footprints.
    let target: { point: [number, number]; under: string[]; from: PatchDetail; margin: number } | null = null;
    for (const a of details) {
      for (const b of details) {
        if (a.id >= b.id || a.season !== b.season || Math.abs(a.centroid[0] - b.centroid[0]) + Math.abs(a.centroid[1] - b.centroid[1]) > 0.1) continue;
        const point: [number, number] = [(a.centroid[0] + b.centroid[0]) / 2, (a.centroid[1] + b.centroid[1]) / 2];
        const near = details.filter((p) => Math.abs(p.centroid[0] - point[0]) + Math.abs(p.centroid[1] - point[1]) < 0.1);
        const under = near.filter((p) => pointInPolygon(point, [p.footprint])).map((p) => p.id);
        const margin = Math.min(...near.map((p) => edgeDistance(point, p.footprint)));
        if (under.length >= 2 && (!target || margin > target.margin)) target = { point, under, from: a, margin };
      }
    }
    expect(target, 'two overlapping footprints in the sample').not.toBeNull();
    const { point, under, from } = target!;

    // The list is virtualised (this patch may not be rendered): open it as a bookmark would.
    // Only the fragment differs from the current address, so the navigation needs a reload to load the page.
    await page.goto(`${studio.server.origin}/#dataset=${dataset}&patch=${encodeURIComponent(from.id)}&token=${studio.server.token}`);
    await page.reload();
    await expect.poll(() => textOf(page, 'patch-title')).toBe(from.id);
    const scale = page.locator('.ol-scale-line-inner');
    const scaleBefore = await scale.textContent();
    await page.getByRole('button', { name: 'Zoom map to patch' }).click();
    await expect.poll(() => scale.textContent(), { timeout: 10_000 }).not.toBe(scaleBefore);
    expect(await scale.textContent()).toMatch(/^\d+ (m|km)$/);
    await page.waitForTimeout(500);

    // Map pixels to lon/lat through the readout: at patch zoom Web Mercator is linear to well under a pixel.
    const box = (await map().boundingBox())!;
    const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    // Over a footprint, the readout gives the patch's UTM zone (once the footprints have loaded).
    await expect
      .poll(async () => {
        await page.mouse.move(c.x + 1, c.y);
        await page.mouse.move(c.x, c.y);
        return textOf(page, 'cursor-readout');
      }, { timeout: 15_000 })
      .toMatch(new RegExp(`UTM \\d+[NS] \\(EPSG:${from.epsg}\\) E \\d+ m, N \\d+ m$`));
    const [lon0, lat0] = await lonLatAt(c.x, c.y);
    const [lon1, lat1] = await lonLatAt(c.x + 100, c.y + 100);
    const x = c.x + ((point[0] - lon0) / (lon1 - lon0)) * 100;
    const y = c.y + ((point[1] - lat0) / (lat1 - lat0)) * 100;

    // The graticule is drawn on the basemap's own canvas: lines and labels, not one flat fill.
    const basemap = await canvasStats(page.locator('.basemap canvas').first());
    expect(basemap.colours).toBeGreaterThan(2);

    await page.mouse.click(x, y);
    const picker = page.getByTestId('patch-picker');
    await picker.waitFor({ timeout: 5_000 });
    const listed = await picker.locator('button[data-patch-id]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { patchId: string } }).dataset.patchId));
    expect(listed).toEqual([...under].sort());
    const other = listed.find((id) => id !== from.id)!;
    const row = picker.locator(`button[data-patch-id="${other}"]`);
    const summary = details.find((p) => p.id === other)!;
    expect(((await row.textContent()) ?? '').replace(/\s+/g, ' ').trim()).toMatch(new RegExp(`^${other} ${summary.season} · \\S`));
    await page.screenshot({ path: join(studio.shots, 'map-picker.png') });
    await row.click();
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => textOf(page, 'patch-title')).toBe(other);
    await page.mouse.move(x, y);
    await page.screenshot({ path: join(studio.shots, 'map-patch-zoom.png') });
  });

  it('raised no page error and broke no rule of the Content-Security-Policy', () => {
    expect(studio.pageErrors).toEqual([]);
    expect(studio.cspViolations).toEqual([]);
  });
});
