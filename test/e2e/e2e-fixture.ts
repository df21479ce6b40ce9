/**
 * One harness for the Chromium end-to-end files: `sen12ms-studio serve` with its own data and
 * cache folders, a headless Chromium page on the printed URL, and what the page reported
 * (uncaught errors, Content-Security-Policy refusals). Each e2e file calls `openStudio()` in
 * its beforeAll and `close()` in its afterAll; the built tree is required (`npm run build`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../bench/ui-chromium.js';
import { REPO_ROOT, startStudioServer, type StudioServer } from '../../bench/ui-server.js';
import { apiCall } from './studio-api.js';

export { chromiumAvailable } from '../../bench/ui-chromium.js';
export { apiCall } from './studio-api.js';

/** Time a tiny job on the embedded sample may take on this 2-core machine. */
export const JOB_TIMEOUT = 120_000;

export interface Studio {
  tmp: string;
  server: StudioServer;
  browser: Browser;
  page: Page;
  /** Where screenshots go: docs/screenshots/ with UPDATE_SCREENSHOTS=1, else the temp folder. */
  shots: string;
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** What the page's Content-Security-Policy refused, as Chromium reports it on the console. */
  cspViolations: string[];
  close(): Promise<void>;
}

export interface StudioOptions {
  /** A data set folder the server opens at start (`--dataset`). */
  dataset?: string;
  viewport?: { width: number; height: number };
  /** Go to the printed URL (default true). */
  navigate?: boolean;
  /**
   * Let the test inject scripts (axe-core) past the page's CSP. Only for checks that need it:
   * CSP violations are then not reported.
   */
  bypassCsp?: boolean;
}

export async function openStudio(opts: StudioOptions = {}): Promise<Studio> {
  const tmp = await mkdtemp(join(tmpdir(), 'studio-e2e-'));
  const shots = process.env.UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : tmp;
  const server = await startStudioServer({ dataDir: join(tmp, 'data'), cacheDir: join(tmp, 'cache'), dataset: opts.dataset });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1440, height: 900 }, bypassCSP: opts.bypassCsp ?? false });
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  if (opts.navigate !== false) await page.goto(server.url);
  return {
    tmp,
    server,
    browser,
    page,
    shots,
    pageErrors,
    cspViolations,
    async close() {
      await browser.close();
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the sidebar shows the catalog's patch count; returns the open data set's id.
 * Usable in beforeAll (no expect.poll, which vitest allows only inside a test).
 */
export async function waitForCatalog(studio: Studio): Promise<string> {
  await studio.page.getByTestId('patch-count').filter({ hasText: /^\d[\d,.]*$/ }).waitFor({ timeout: 90_000 });
  const [info] = await apiCall(studio.server, 'datasets.list', {});
  return info.id;
}

/** An element's text as a reader sees it: runs of white space as one space. */
export async function textOf(within: Locator | Page, testid: string): Promise<string> {
  return ((await within.getByTestId(testid).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

export async function openTab(page: Page, name: 'Patch' | 'Train' | 'Results' | 'Export'): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

/** The sidebar's "in view N": every patch in the map's view, whatever the list has rendered. */
export async function inViewCount(page: Page): Promise<number> {
  const text = (await page.locator('.sidebar').textContent()) ?? '';
  return Number(/in view ([\d,]+)/.exec(text)?.[1].replace(/,/g, '') ?? NaN);
}

/**
 * The patch ids the list shows as options. The list is virtualised: only the rows scrolled into
 * view are in the DOM, so narrow it (filters, zoom) before expecting a patch among them.
 */
export async function listedIds(page: Page): Promise<string[]> {
  const texts = await page.getByRole('listbox', { name: 'Patches in view' }).getByRole('option').allTextContents();
  return texts.map((t) => t.trim().split(/\s/)[0]);
}
