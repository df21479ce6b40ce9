/**
 * Annotation with mouse and keyboard in Chromium against `sen12ms-studio serve` on the embedded
 * sample: a box selection edited as one undo step, undo selecting what it changed, number keys,
 * the J/K walk and its queues, the patch list as a virtualised listbox, the skip links, and
 * regions imported from a GeoJSON file. One server and one page; each step builds on the last.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../../bench/ui-server.js';
import { apiCall, chromiumAvailable, openStudio, openTab, textOf, waitForCatalog, type Studio } from './e2e-fixture.js';

/** Must match ROW_PX of renderer/src/lib/sidebar/PatchListbox.svelte. */
const ROW_PX = 22;

describe.skipIf(!chromiumAvailable)('annotation and keyboard in Chromium (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let server: StudioServer;
  let page: Page;
  let dataset: string;
  let total: number;
  let list: Locator;

  beforeAll(async () => {
    studio = await openStudio({ viewport: { width: 1440, height: 900 } });
    ({ server, page } = studio);
    list = page.getByRole('listbox', { name: 'Patches in view' });
  });

  afterAll(async () => {
    await studio?.close();
  });

  const labels = async () => Object.fromEntries((await apiCall(server, 'annotations.get', { dataset })).patches.map((p) => [p.id, p.label]));
  const selectedIds = () => list.locator('[role="option"][aria-selected="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  const heading = () => page.locator('.patch header h2').textContent();
  /** The ids of the first rows, in list order. */
  const option = (id: string) => list.locator(`[role="option"][data-id="${id}"]`);
  const firstIds = (n: number) => list.getByRole('option').evaluateAll((els, n) => els.slice(0, n).map((e) => e.getAttribute('data-id')!), n);

  it('the patch list is a listbox: one tab stop, arrows and Home/End/PageDown move and select, only a screenful of rows in the DOM', async () => {
    dataset = await waitForCatalog(studio);
    total = (await apiCall(server, 'catalog.query', { dataset, query: { page: { offset: 0, limit: 0 } } })).total;
    // the view fits the data set: every patch is in the list
    await expect.poll(() => list.getByRole('option').first().getAttribute('aria-setsize'), { timeout: 30_000 }).toBe(String(total));
    expect(total).toBeGreaterThan(30);
    const rendered = await list.getByRole('option').count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(total);
    // the scroll height is the whole list's, so the scroll bar tells where one is
    expect(await list.evaluate((el) => el.scrollHeight)).toBe(total * ROW_PX);

    const [first, second] = await firstIds(2);
    await option(first).click();
    await expect.poll(selectedIds).toEqual([first]);
    expect(await list.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedIds).toEqual([second]);
    expect(await list.getAttribute('aria-activedescendant')).toBe(`patch-option-${second}`);
    await expect.poll(heading, { timeout: 30_000 }).toBe(second);

    await page.keyboard.press('End');
    const last = list.locator('[role="option"][aria-selected="true"]');
    await expect.poll(() => last.getAttribute('aria-posinset')).toBe(String(total));
    // scrolled to the end: still only a screenful of rows
    expect(await list.getByRole('option').count()).toBeLessThan(total);
    await page.keyboard.press('Home');
    await expect.poll(selectedIds).toEqual([first]);
    await page.keyboard.press('PageDown');
    const page1 = Number(await last.getAttribute('aria-posinset'));
    expect(page1).toBeGreaterThan(2);
    await page.keyboard.press('PageUp');
    await expect.poll(selectedIds).toEqual([first]);

    // one tab stop: Tab leaves the list, Shift+Tab comes back to it
    await page.keyboard.press('Tab');
    expect(await list.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await list.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
  }, 120_000);

  it('skip links are the first tab stops, to the panels and to the patch list', async () => {
    /** The focused element as a reader would name it. */
    const focused = () =>
      page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null; getAttribute(n: string): string | null } } }).document.activeElement;
        return { id: el.id, role: el.getAttribute('role'), text: (el.textContent ?? '').trim() };
      });
    // from the page's title, the two stops before it are the skip links
    await page.getByRole('heading', { name: 'SEN12MS Studio' }).click();
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toBe('Skip to the patch list');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toBe('Skip to the panels');
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ role: 'tab', text: 'Patch' });
    await page.getByRole('heading', { name: 'SEN12MS Studio' }).click();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ id: 'patch-list', role: 'listbox' });
  });

  it('a box selection is edited as one step; one Ctrl+Z reverts every patch and selects them again', async () => {
    await openTab(page, 'Patch');
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.keyboard.down('Shift');
    // clear of the zoom buttons in the top left corner
    await page.mouse.move(box.x + 80, box.y + 80);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 40, box.y + box.height - 40, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const form = page.getByTestId('bulk-form');
    await form.waitFor({ timeout: 30_000 });
    const heading = (await form.getByRole('heading').textContent())!;
    const n = Number(/Edit all (\d+) selected patches/.exec(heading)![1]);
    expect(n).toBeGreaterThan(1);
    expect(await form.getByTestId('bulk-apply').textContent()).toBe(`Apply to ${n} patches`);

    await form.getByTestId('bulk-label').selectOption('7');
    await form.getByTestId('bulk-noisy').selectOption('set');
    await form.getByTestId('bulk-apply').click();
    await expect.poll(() => textOf(page, 'annotation-status')).toBe(`saved: ${n} patches`);
    const after = (await apiCall(server, 'annotations.get', { dataset })).patches;
    expect(after.filter((p) => p.label === 7 && p.noisy)).toHaveLength(n);
    const changed = after.map((p) => p.id).sort();
    await page.getByTestId('shortcut-help').locator('..').locator('summary').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(studio.shots, 'annotation.png') });

    // select one other patch, then undo: the step's patches come back selected, none is reported on another
    await list.getByRole('option').first().click();
    await expect.poll(async () => (await selectedIds()).length).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => textOf(page, 'annotation-status')).toBe(`undone: ${n} patches`);
    expect((await apiCall(server, 'annotations.get', { dataset })).patches).toEqual([]);
    await expect.poll(async () => (await form.getByRole('heading').textContent()) ?? '').toBe(`Edit all ${n} selected patches`);
    // the list marks the selection (the rows it holds of it)
    const shown = await selectedIds();
    expect(shown.length).toBeGreaterThan(0);
    expect(changed).toEqual(expect.arrayContaining(shown));
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => textOf(page, 'annotation-status')).toBe(`redone: ${n} patches`);
    expect(Object.values(await labels()).filter((l) => l === 7)).toHaveLength(n);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await apiCall(server, 'annotations.get', { dataset })).patches.length).toBe(0);
  });

  it('number keys set the label of the selection, and undo names the patch it changed', async () => {
    const [a, b] = await firstIds(2);
    await option(a).click();
    await page.keyboard.press('4');
    await expect.poll(async () => (await labels())[a]).toBe(4);
    await page.keyboard.press('0');
    await expect.poll(async () => (await labels())[a]).toBe(10);
    await option(b).click();
    await page.keyboard.press('2');
    await expect.poll(async () => (await labels())[b]).toBe(2);
    await option(a).click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => textOf(page, 'annotation-status')).toBe(`undone: ${b}`);
    await expect.poll(selectedIds).toEqual([b]);
    expect((await labels())[b]).toBeUndefined();
    await page.keyboard.press('Control+y');
    await expect.poll(async () => (await labels())[b]).toBe(2);
    // digits typed into a text field stay there
    await option(b).click();
    const note = page.getByRole('textbox', { name: 'Note' });
    await note.click();
    await page.keyboard.type('87');
    expect(await note.inputValue()).toBe('87');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await list.focus();
    expect((await labels())[b]).toBe(2);
  });

  it('J/K step through the list, and the walk can skip annotated patches or keep to noisy ones', async () => {
    const [a, b, c, d, e] = await firstIds(5);
    await option(a).click();
    await page.keyboard.press('j');
    await expect.poll(selectedIds).toEqual([b]);
    await page.keyboard.press(']');
    await expect.poll(selectedIds).toEqual([c]);
    await page.keyboard.press('k');
    await expect.poll(selectedIds).toEqual([b]);

    // a and b are annotated (label keys above): the unannotated walk from a skips b
    await page.getByTestId('walk-select').selectOption('unannotated');
    await expect.poll(() => textOf(page, 'walk-count')).toBe(String(total - 2));
    await option(a).click();
    await page.keyboard.press('j');
    await expect.poll(selectedIds).toEqual([c]);
    await page.keyboard.press('3');
    await expect.poll(async () => (await labels())[c]).toBe(3);
    // c just left the walk: the next is the one after it
    await page.keyboard.press('j');
    await expect.poll(selectedIds).toEqual([d]);

    await apiCall(server, 'annotations.apply', { dataset, change: { kind: 'patch', patch: e, set: { noisy: true } } });
    await page.getByTestId('walk-select').selectOption('noisy');
    await expect.poll(() => textOf(page, 'walk-count')).toBe('1');
    await option(a).click();
    await page.keyboard.press('j');
    await expect.poll(selectedIds).toEqual([e]);
    await page.keyboard.press('j');
    await expect.poll(() => textOf(page, 'annotation-status')).toBe('no next patch in this walk');
    await expect.poll(selectedIds).toEqual([e]);
    await page.getByTestId('walk-select').selectOption('all');
  });

  it('imports the regions of a GeoJSON file as one undoable step; a bad file is refused by field', async () => {
    await openTab(page, 'Patch');
    const ring = [[10, 45], [11, 45], [11, 46], [10, 45]];
    const feature = (name: string) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [ring] } });
    const good = JSON.stringify({ type: 'FeatureCollection', features: [feature('Delta'), feature('Uplands')] });
    const input = page.getByTestId('import-geojson');
    await input.setInputFiles({ name: 'study-areas.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(good) });
    await expect.poll(() => textOf(page, 'import-status')).toBe('study-areas.geojson: 2 regions added (Ctrl+Z removes them)');
    const regionList = page.getByRole('region', { name: 'Regions' });
    await expect.poll(async () => (await regionList.getByRole('listitem').allTextContents()).map((t) => t.replace('Delete', '').trim()).sort()).toEqual(['Delta', 'Uplands']);
    await list.focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => regionList.getByRole('listitem').count()).toBe(0);
    expect((await apiCall(server, 'annotations.get', { dataset })).regions).toEqual([]);

    const secret = 'PRIVATE-FIELD-NOTES';
    const bad = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'x' }, geometry: { type: secret, coordinates: [] } }] });
    await input.setInputFiles({ name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(bad) });
    await expect.poll(() => textOf(page, 'error-banner')).toMatch(/bad\.geojson: features\[0\]\.geometry\.type: expected Polygon or MultiPolygon/);
    expect(await textOf(page, 'error-banner')).not.toContain(secret);
    expect((await apiCall(server, 'annotations.get', { dataset })).regions).toEqual([]);
  });

  it('the page reported no error and no CSP refusal', () => {
    expect(studio.pageErrors).toEqual([]);
    expect(studio.cspViolations).toEqual([]);
  });
});
