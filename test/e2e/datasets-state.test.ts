/**
 * Data sets and the state that survives, in Chromium against `sen12ms-studio serve`: a folder
 * that is not a data set is refused and nothing else changes; a data set with bad files lists
 * them (names escaped) in a problems dialog; the view lives in the URL fragment, so a reload or
 * a bookmark brings back the data set, patch, tab and map view; reload no longer falls back to
 * the embedded sample. UPDATE_SCREENSHOTS=1 writes docs/screenshots/problems.png.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../core/synth/synthesize.js';
import { apiCall, chromiumAvailable, openStudio, textOf, waitForCatalog, type Studio } from './e2e-fixture.js';

/** The fragment's keys as the page shows them now. */
async function fragment(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.slice(1)));
}

describe.skipIf(!chromiumAvailable)('data sets and the view in the URL (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let page: Page;
  let sampleName: string;
  let badDir: string;
  let truncated: string;

  beforeAll(async () => {
    studio = await openStudio();
    page = studio.page;
    await waitForCatalog(studio);
    sampleName = await textOf(page, 'dataset-name');
    // A SEN12MS folder with a truncated S2 file and a file whose name is not UTF-8.
    badDir = join(studio.tmp, 'field-campaign');
    await synthesize(badDir, { scenes: 2, patchesPerScene: 3, seed: 7 });
    const roi = fs.readdirSync(badDir).find((d) => d.startsWith('ROIs'))!;
    const folder = fs.readdirSync(join(badDir, roi)).find((d) => d.startsWith('s2_'))!;
    const file = fs.readdirSync(join(badDir, roi, folder)).sort()[0];
    truncated = `${roi}/${folder}/${file}`;
    fs.truncateSync(join(badDir, truncated), 1000);
    fs.writeFileSync(Buffer.concat([Buffer.from(join(badDir, roi, folder) + '/copy-'), Buffer.from([0xe9]), Buffer.from('.tif')]), 'x');
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  async function openFolder(dir: string): Promise<void> {
    await page.getByLabel('Data set folder').fill(dir);
    await page.getByRole('button', { name: 'Open folder' }).click();
  }

  it('refuses a folder holding no SEN12MS scene, naming it and what was expected; nothing else changes', async () => {
    const notData = join(studio.tmp, 'holiday-photos');
    fs.mkdirSync(notData);
    fs.writeFileSync(join(notData, 'beach.jpg'), 'x');
    const patches = await textOf(page, 'dataset-patches');
    await openFolder(notData);
    await expect.poll(() => textOf(page, 'error-banner')).toContain(notData);
    expect(await textOf(page, 'error-banner')).toMatch(/no SEN12MS scenes \(expected ROIs/);
    expect(await textOf(page, 'dataset-name')).toBe(sampleName);
    expect(await textOf(page, 'dataset-patches')).toBe(patches);
    expect((await apiCall(studio.server, 'datasets.list', {})).map((d) => d.dir)).not.toContain(notData);
  });

  it('opens a data set with bad files: the banner goes, a problems dialog lists every bad file with its reason, names escaped', async () => {
    await openFolder(badDir);
    await page.getByTestId('dataset-problems').waitFor({ timeout: 60_000 });
    await page.getByTestId('error-banner').waitFor({ state: 'detached' });
    const info = (await apiCall(studio.server, 'datasets.list', {})).find((d) => d.dir === badDir)!;
    expect(await textOf(page, 'dataset-patches')).toBe(`${info.patches} patches`);
    expect(await textOf(page, 'dataset-problems')).toBe(`${info.problems} ${info.problems === 1 ? 'file' : 'files'} not catalogued`);
    await page.getByTestId('dataset-problems').click();
    const rows = page.getByTestId('problem-row');
    await expect.poll(() => rows.count()).toBe(info.problems);
    const texts = (await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    expect(texts.find((t) => t.includes(truncated))).toMatch(/\S+ \S+/);
    expect(texts.some((t) => t.includes('copy-\\xe9.tif'))).toBe(true);
    await page.screenshot({ path: join(studio.shots, 'problems.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('problems-dialog').isVisible()).toBe(false);
  });

  it('keeps data set, patch, tab and map view in the URL fragment, and a reload restores them', async () => {
    const info = (await apiCall(studio.server, 'datasets.list', {})).find((d) => d.dir === badDir)!;
    const { patches } = await apiCall(studio.server, 'catalog.query', { dataset: info.id, query: { page: { offset: 0, limit: 2 } } });
    const patch = patches[1].id;
    // what a bookmark holds, plus a key of some other version that must be ignored
    const bookmark = `${studio.server.origin}/#dataset=${info.id}&patch=${patch}&tab=export&view=${patches[1].centroid[0]},${patches[1].centroid[1]},13&colour=dark`;
    const tab = await studio.browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await tab.goto(`${bookmark}&token=${studio.server.token}`);
      await expect.poll(() => tab.getByRole('tab', { name: 'Export' }).getAttribute('aria-selected'), { timeout: 60_000 }).toBe('true');
      await expect.poll(() => tab.getByTestId('dataset-select').inputValue()).toBe(info.id);
      await tab.getByRole('tab', { name: 'Patch' }).click();
      await expect.poll(() => tab.locator('#tabpanel-0 h2').textContent(), { timeout: 30_000 }).toBe(patch);
      await expect.poll(async () => (await fragment(tab)).view?.split(',').map(Number)[2]).toBe(13);
      const before = await fragment(tab);
      expect(before).toMatchObject({ dataset: info.id, patch, tab: 'patch' });
      expect(before.token).toBeUndefined();

      // pan: the fragment follows; reload: the same view comes back, not the embedded sample
      await tab.mouse.move(700, 450);
      await tab.mouse.down();
      await tab.mouse.move(500, 350, { steps: 5 });
      await tab.mouse.up();
      await expect.poll(async () => (await fragment(tab)).view).not.toBe(before.view);
      const panned = await fragment(tab);
      await tab.reload();
      await expect.poll(() => tab.locator('#tabpanel-0 h2').textContent(), { timeout: 30_000 }).toBe(patch);
      const restored = await fragment(tab);
      expect(restored).toMatchObject({ dataset: info.id, patch, tab: 'patch' });
      const [lon0, lat0, z0] = panned.view.split(',').map(Number);
      const [lon1, lat1, z1] = restored.view.split(',').map(Number);
      expect(Math.abs(lon1 - lon0)).toBeLessThan(1e-4);
      expect(Math.abs(lat1 - lat0)).toBeLessThan(1e-4);
      expect(z1).toBeCloseTo(z0, 2);
    } finally {
      await tab.close();
    }
  });

  it('a browser without the token gets a short page saying how to get the URL, not raw JSON and nothing of the app', async () => {
    const stranger = await studio.browser.newPage();
    try {
      const res = await stranger.goto(`${studio.server.origin}/exports/anything.zip`);
      expect(res?.status()).toBe(401);
      expect(await stranger.title()).toMatch(/token/i);
      expect(await stranger.locator('body').textContent()).toMatch(/#token=/);
      expect(await stranger.locator('script, link, img').count()).toBe(0);
    } finally {
      await stranger.close();
    }
  });

  it('switching data sets clears the selection and shows the other one; a fresh page opens the one opened last', async () => {
    const select = page.getByTestId('dataset-select');
    await select.waitFor();
    const sample = (await apiCall(studio.server, 'datasets.list', {})).find((d) => d.sample)!;
    await select.selectOption(sample.id);
    await expect.poll(async () => (await fragment(page)).dataset).toBe(sample.id);
    expect((await fragment(page)).patch).toBeUndefined();
    // the server remembers the folder opened last: a page without a fragment shows it, not the sample
    const fresh = await studio.browser.newPage();
    try {
      await fresh.goto(studio.server.url);
      await expect.poll(() => fresh.getByTestId('dataset-select').inputValue(), { timeout: 60_000 }).not.toBe(sample.id);
      expect((await fragment(fresh)).dataset).not.toBe(sample.id);
    } finally {
      await fresh.close();
    }
    expect(studio.pageErrors).toEqual([]);
    expect(studio.cspViolations).toEqual([]);
  });
});
