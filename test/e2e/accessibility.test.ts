/**
 * axe-core over every view of the app in Chromium (server mode, embedded sample): the map with
 * the patch list, each tab, a selected patch, the problems-free header. No violation of impact
 * "serious" or "critical" against WCAG 2.1 A and AA is allowed; the rest are reported. The page
 * runs with CSP bypassed so axe can be injected (the CSP itself is checked by the other files).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openStudio, openTab, waitForCatalog, type Studio } from './e2e-fixture.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe on the page as it is; returns the violations, serious and critical first. */
async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`)) as AxeViolation[];
  return violations;
}

const serious = (vs: AxeViolation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');
const describeAll = (vs: AxeViolation[]) => vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n  ')}`).join('\n');

describe.skipIf(!chromiumAvailable)('accessibility of every view (axe-core; skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ bypassCsp: true });
    page = studio.page;
    await waitForCatalog(studio);
  }, 120_000);

  afterAll(async () => {
    await studio?.close();
  });

  it('the map, the filters and the patch list', async () => {
    const found = await axe(page);
    expect(serious(found), describeAll(found)).toEqual([]);
  });

  it('a selected patch with its previews and annotation form', async () => {
    await page.getByRole('listbox', { name: 'Patches in view' }).getByRole('option').first().click();
    await page.getByTestId('preview-canvas').waitFor({ timeout: 30_000 });
    const found = await axe(page);
    expect(serious(found), describeAll(found)).toEqual([]);
  });

  for (const tab of ['Train', 'Results', 'Export'] as const) {
    it(`the ${tab} tab`, async () => {
      await openTab(page, tab);
      await page.waitForTimeout(300);
      const found = await axe(page);
      expect(serious(found), describeAll(found)).toEqual([]);
    });
  }
});
