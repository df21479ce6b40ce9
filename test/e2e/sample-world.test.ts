/**
 * The embedded sample on the map at world zoom: patches on every inhabited continent, found
 * through catalog.query's footprints in independent continent boxes, all in view in the page.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/sample-world.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatchFootprint } from '../../core/common/catalog/patch-types.js';
import { CONTINENT_BOXES } from '../synth/continent-boxes.js';
import { apiCall, chromiumAvailable, openStudio, waitForCatalog, type Studio } from './e2e-fixture.js';

describe.skipIf(!chromiumAvailable)('the embedded sample spans the world on the map (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let dataset: string;

  beforeAll(async () => {
    studio = await openStudio();
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('has patches, footprints and test patches inside the boxes of five or more continents', async () => {
    // The sample is generated and indexed on first use.
    dataset = await waitForCatalog(studio);
    const found: Record<string, { patches: number; test: number }> = {};
    for (const [continent, box] of Object.entries(CONTINENT_BOXES)) {
      const page = await apiCall(studio.server, 'catalog.query', { dataset, query: { bbox: box, fields: 'footprint', page: { offset: 0, limit: 1000 } } });
      const inside = (page.patches as PatchFootprint[]).filter((p) =>
        p.footprint.every(([lon, lat]) => lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3]),
      );
      if (inside.length > 0) found[continent] = { patches: inside.length, test: inside.filter((p) => p.split === 'test').length };
    }
    expect(Object.keys(found).length, JSON.stringify(found)).toBeGreaterThanOrEqual(5);
    // Hold-out scenes on several continents: the per-region map of an evaluation has test patches in many places.
    expect(Object.values(found).filter((f) => f.test > 0).length, JSON.stringify(found)).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('shows every patch at world zoom, without page errors or CSP refusals', async () => {
    const { page } = studio;
    const { total } = await apiCall(studio.server, 'catalog.query', { dataset, query: { page: { offset: 0, limit: 0 } } });
    expect(total).toBeGreaterThanOrEqual(200);
    // The view fits the data set: every patch of a world-wide sample is in view.
    await expect.poll(() => page.locator('.sidebar').textContent(), { timeout: 30_000 }).toContain(`in view ${total}`);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(studio.shots, 'sample-world.png') });
    expect(studio.pageErrors).toEqual([]);
    expect(studio.cspViolations).toEqual([]);
  });
});
