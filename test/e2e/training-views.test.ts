/**
 * The training views end to end in Chromium against `sen12ms-studio serve` on the embedded
 * sample: two tiny pretrains (one capped by max steps), then a reload: the curve still has every
 * step metrics.jsonl recorded and the k-NN validation series, progress counts to the steps that
 * ran; a run renamed with notes keeps its name after a reload; two runs overlaid with a legend.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/training-views.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../../bench/ui-server.js';
import { apiCall, chromiumAvailable, JOB_TIMEOUT, openStudio, openTab, textOf, waitForCatalog, type Studio } from './e2e-fixture.js';

/** The tiny demo's pretrain: an epoch of the sample is 4 steps of 8 patches. */
// 32 random patches: 4 steps an epoch whatever the sample's size, so a short run ends epochs (k-NN scored)
const TINY = { strategy: 'sensor-pairs', depth: 10, size: 32, batchSize: 8, queueSize: 64, subset: 'random:32' } as const;

describe.skipIf(!chromiumAvailable)('training views in Chromium (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let server: StudioServer;
  let page: Page;
  let dataset: string;
  /** One epoch, uncapped (4 steps); then two epochs capped at 6 of their 8 steps. */
  let plain: string;
  let capped: string;

  beforeAll(async () => {
    // tall enough that the Train panel shows the charts and the Runs list in one screenshot
    studio = await openStudio({ viewport: { width: 1280, height: 1500 } });
    ({ server, page } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  async function finished(id: string): Promise<void> {
    await expect.poll(async () => (await apiCall(server, 'jobs.list', {})).find((j) => j.id === id)?.state, { timeout: JOB_TIMEOUT, interval: 500 }).toMatch(/completed|failed|interrupted|cancelled/);
    const job = (await apiCall(server, 'jobs.list', {})).find((j) => j.id === id)!;
    if (job.state !== 'completed') throw new Error(`job ${id} ended ${job.state}: ${job.error}\n${(await apiCall(server, 'jobs.log', { id, tail: 30 })).lines.join('\n')}`);
  }

  const row = (id: string) => page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
  const rawLine = (id: string) => page.getByTestId('loss-curve').locator(`polyline[data-role="raw"][data-series="${id}"]`);

  it('two tiny pretrains run to the end', async () => {
    dataset = await waitForCatalog(studio);
    plain = (await apiCall(server, 'jobs.start', { dataset, kind: 'pretrain', options: { ...TINY, epochs: 1 } })).id;
    await finished(plain);
    capped = (await apiCall(server, 'jobs.start', { dataset, kind: 'pretrain', options: { ...TINY, epochs: 2, maxSteps: 6 } })).id;
    await finished(capped);
  }, 2 * JOB_TIMEOUT + 100_000);

  it('after a reload the curve has every recorded step and the k-NN validation series; progress counts to the steps that ran', async () => {
    const recorded = await apiCall(server, 'runs.metrics', { run: capped });
    expect(recorded.steps).toBe(6);
    const validations = recorded.points.filter((p) => p.validation?.knn_top1 !== undefined);
    expect(validations.map((p) => p.step)).toEqual([4]);
    // the trainer reports where this start stops, and its last ETA counted to it
    const progress = (await apiCall(server, 'jobs.list', {})).find((j) => j.id === capped)!.progress!;
    expect(progress).toMatchObject({ step: 6, stopStep: 6, totalSteps: 8, epochs: 2, etaSeconds: 0 });

    await page.reload();
    await openTab(page, 'Train');
    // the newest training run is the one followed; nothing of its steps came as an event to this page
    await expect.poll(() => rawLine(capped).getAttribute('data-count'), { timeout: 20_000 }).toBe('6');
    await expect.poll(() => page.getByTestId('validation-curve').locator(`circle[data-series="${capped}"]`).count()).toBe(1);
    expect(await page.getByTestId('validation-curve').locator('figcaption').textContent()).toContain('k-NN top-1');
    expect(await page.getByTestId('knn-value').allTextContents()).toEqual([validations[0].validation!.knn_top1.toFixed(4)]);
    // smoothed by default, the raw curve faint behind it
    expect(await page.getByTestId('loss-curve').locator(`polyline[data-role="smoothed"][data-series="${capped}"]`).count()).toBe(1);
    await page.getByTestId('smoothing').fill('0');
    await expect.poll(() => page.getByTestId('loss-curve').locator('polyline[data-role="smoothed"]').count()).toBe(0);
    await page.getByTestId('smoothing').fill('0.6');

    expect(await textOf(page, 'job-steps')).toBe('step 6/6 · epoch 2/2');
    expect(await textOf(page, 'job-capped')).toBe("max steps: 6 of the schedule's 8 steps (2 epochs)");
    expect(await page.getByTestId('job-progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(1);
    expect(await textOf(row(capped), 'run-steps')).toBe('6 steps');
    expect(await textOf(row(capped), 'run-figure')).toMatch(/^loss \d+\.\d{4} · best k-NN top-1 [01]\.\d{4}$/);
    expect(await textOf(row(capped), 'run-started')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const [info] = await apiCall(server, 'datasets.list', {});
    expect(await textOf(row(capped), 'run-dataset')).toBe(info.name);
  });

  it('a renamed run keeps its name and notes after a reload', async () => {
    expect(await textOf(row(capped), 'run-name')).toBe('pretrain · sensor-pairs · ResNet-10');
    await row(capped).getByTestId('run-rename').click();
    await row(capped).getByTestId('run-name-input').fill('capped at 6 steps');
    await row(capped).getByTestId('run-notes-input').fill('queue 64, two epochs asked');
    await row(capped).getByTestId('run-save').click();
    await expect.poll(() => textOf(row(capped), 'run-name')).toBe('capped at 6 steps');

    await page.reload();
    await openTab(page, 'Train');
    await expect.poll(() => textOf(row(capped), 'run-name'), { timeout: 20_000 }).toBe('capped at 6 steps');
    expect(await textOf(row(capped), 'run-notes')).toBe('queue 64, two epochs asked');
    const labels = await apiCall(server, 'runs.labels', {});
    expect(labels.find((l) => l.job === capped)?.name).toBe('capped at 6 steps');
  });

  it('overlays two runs, one colour each, with a legend', async () => {
    await row(plain).getByTestId('run-compare').check();
    await expect.poll(() => rawLine(plain).getAttribute('data-count'), { timeout: 20_000 }).toBe('4');
    expect(await rawLine(capped).getAttribute('data-count')).toBe('6');
    const colours = await page.getByTestId('loss-curve').locator('polyline[data-role="raw"]').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('stroke')));
    expect(new Set(colours).size).toBe(2);
    const legend = await page.getByTestId('curve-legend').locator('li').allTextContents();
    expect(legend.map((t) => t.trim())).toEqual(['capped at 6 steps', 'pretrain · sensor-pairs · ResNet-10']);
    // both runs' validation on the shared chart
    expect(await page.getByTestId('validation-curve').locator(`circle[data-series="${plain}"]`).count()).toBe(1);

    await page.screenshot({ path: join(studio.shots, 'training-views.png') });
    expect(studio.pageErrors).toEqual([]);
    expect(studio.cspViolations).toEqual([]);
  });
});
