/**
 * The app end to end in Chromium against `sen12ms-studio serve` on the embedded sample: browse,
 * preview, relabel, pretrain, finetune from a chosen pretrain checkpoint + evaluate a chosen
 * checkpoint (choropleth), export a chosen checkpoint. One server and one page
 * for the whole file: each step builds on the one before, as a user's session would.
 * UPDATE_SCREENSHOTS=1 writes the screenshots to docs/screenshots/ (else to the temp folder).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../../bench/ui-server.js';
import { apiCall, chromiumAvailable, inViewCount, JOB_TIMEOUT, listedIds, openStudio, openTab as openTabOf, textOf as textIn, type Studio } from './e2e-fixture.js';

/** The DOM this file's in-page functions touch; the tests are typed for Node, without the DOM library. */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

describe.skipIf(!chromiumAvailable)('the app in Chromium against sen12ms-studio serve (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let server: StudioServer;
  let page: Page;
  let dataset: string;
  let shots: string;
  /** The finetune job the results and export steps use. */
  let finetune: string;

  beforeAll(async () => {
    studio = await openStudio();
    ({ server, page, shots } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  const openTab = (name: 'Patch' | 'Train' | 'Results' | 'Export') => openTabOf(page, name);
  const textOf = (testid: string, within: Locator | Page = page) => textIn(within, testid);

  /** Waits for the job row of the newest job of a kind to reach a final state, and expects `completed`. */
  async function finishedJob(kind: string): Promise<string> {
    const row = page.locator(`[data-testid="job-row"][data-kind="${kind}"]`).first();
    await row.and(page.locator('[data-state="completed"], [data-state="failed"], [data-state="interrupted"], [data-state="cancelled"]')).waitFor({ timeout: JOB_TIMEOUT });
    const id = (await row.getAttribute('data-job-id'))!;
    const state = await row.getAttribute('data-state');
    if (state !== 'completed') {
      const log = await apiCall(server, 'jobs.log', { id, tail: 30 });
      throw new Error(`${kind} job ${id} ended ${state}:\n${log.lines.join('\n')}`);
    }
    return id;
  }

  /** The API's view of the newest job of a kind, for jobs the visible tab does not list. */
  async function finishedJobByApi(kind: string): Promise<string> {
    const newest = async () => (await apiCall(server, 'jobs.list', {})).filter((j) => j.kind === kind).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    await expect.poll(async () => (await newest())?.state, { timeout: JOB_TIMEOUT }).toMatch(/completed|failed|interrupted|cancelled/);
    const job = await newest();
    if (job.state !== 'completed') {
      const log = await apiCall(server, 'jobs.log', { id: job.id, tail: 30 });
      throw new Error(`${kind} job ${job.id} ended ${job.state}: ${job.error}\n${log.lines.join('\n')}`);
    }
    return job.id;
  }

  /** The option values of a checkpoint choice, once the run's checkpoints have loaded. */
  async function checkpointOptions(testid: string): Promise<string[]> {
    const select = page.getByTestId(testid);
    await expect.poll(() => select.isEnabled(), { timeout: 10_000 }).toBe(true);
    return select.locator('option').evaluateAll((opts) => opts.map((o) => (o as unknown as { value: string }).value));
  }

  /** A pretrain checkpoint other than its last: its best (an epoch end) when that is earlier, else an earlier step-N. */
  async function otherCheckpoint(run: string): Promise<{ selector: string; step: number; epoch: number }> {
    const { selectors } = await apiCall(server, 'runs.checkpoints', { run });
    const last = selectors.find((c) => c.selector === 'last')!;
    const earlier = selectors.filter((c) => c.selector !== 'last' && c.step < last.step);
    const pick = earlier.find((c) => c.selector === 'best') ?? earlier[0];
    if (!pick) throw new Error(`${run} offers no checkpoint besides last: ${JSON.stringify(selectors)}`);
    return pick;
  }

  it('the map shows every patch of the catalog', async () => {
    await expect.poll(() => page.getByTestId('patch-count').textContent(), { timeout: 90_000 }).toMatch(/^\d[\d,.]*$/);
    const [info] = await apiCall(server, 'datasets.list', {});
    dataset = info.id;
    const { total } = await apiCall(server, 'catalog.query', { dataset, query: { page: { offset: 0, limit: 0 } } });
    expect(total).toBeGreaterThan(0);
    expect(Number((await page.getByTestId('patch-count').textContent())!.replace(/\D/g, ''))).toBe(total);
    // The view fits the data set, so every patch is a map feature in view.
    await expect.poll(() => page.locator('.sidebar').textContent()).toContain(`in view ${total}`);
  });

  it('clicking a patch renders a preview with real pixels', async () => {
    await page.getByRole('listbox', { name: 'Patches in view' }).getByRole('option').first().click();
    const canvas = page.getByTestId('preview-canvas');
    await canvas.waitFor({ timeout: 30_000 });
    const distinct = () =>
      canvas.evaluate((el) => {
        const c = el as unknown as PageCanvas;
        if (c.width === 0 || c.height === 0) return 0;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return colours.size;
      });
    await expect.poll(distinct, { timeout: 30_000 }).toBeGreaterThan(16);
  });

  it('a new label survives a reload', async () => {
    const patchButton = page.getByRole('listbox', { name: 'Patches in view' }).getByRole('option').first();
    const patchId = (await patchButton.textContent())!.replace('✎', '').trim();
    const select = page.getByTestId('label-select');
    const values = await select.locator('option').evaluateAll((opts) => opts.map((o) => (o as unknown as { value: string }).value).filter((v) => v !== ''));
    const current = await select.inputValue();
    const next = values.find((v) => v !== current)!;
    await select.selectOption(next);
    await expect.poll(async () => (await apiCall(server, 'annotations.get', { dataset })).patches.find((p) => p.id === patchId)?.label).toBe(Number(next));

    await page.reload();
    await page.getByRole('listbox', { name: 'Patches in view' }).locator(`[role="option"][data-id="${patchId}"]`).click();
    await expect.poll(() => page.getByTestId('label-select').inputValue(), { timeout: 30_000 }).toBe(next);
  });

  it('a tiny pretrain streams progress and its k-NN top-1, and says which checkpoint its consumers take', async () => {
    await openTab('Train');
    await page.getByTestId('preset-select').selectOption('tiny-demo');
    // Two of the demo's 4-step epochs (the k-NN monitor scores each): the walk stays short.
    await page.getByLabel('Max steps').fill('8');
    await page.getByTestId('pretrain-button').click();
    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.evaluate((el) => (el as unknown as { value: number }).value), { timeout: JOB_TIMEOUT }).toBeGreaterThan(0);
    const id = await finishedJob('pretrain');
    await expect.poll(() => page.getByTestId('loss-curve').locator('polyline[data-role="raw"]').count()).toBe(1);
    // the k-NN monitor scored the epoch: the live view lists it, the run's row names the best and the default
    await expect.poll(() => page.getByTestId('knn-value').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('knn-value').first().textContent()).toMatch(/^[01]\.\d{4}$/);
    const row = page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
    await expect
      .poll(() => textOf('job-checkpoint', row), { timeout: 10_000 })
      .toMatch(/^best k-NN top-1 \d\.\d{4} at step \d+; finetune and export use the last checkpoint by default$/);
    // a finetune from it offers its checkpoints, the default chosen
    await page.getByTestId('pretrained-select').selectOption(id);
    const offered = await checkpointOptions('pretrained-checkpoint');
    expect(offered[0]).toBe('last');
    expect(offered).toContain('best');
    expect(await page.getByTestId('pretrained-checkpoint').inputValue()).toBe('last');
    expect(await page.getByTestId('pretrained-checkpoint').locator('option:checked').textContent()).toMatch(/^last \(step \d+\) — default$/);
    await page.screenshot({ path: join(shots, 'training.png') });
  }, JOB_TIMEOUT);

  it('a subset the service refuses is named next to the Subset field, not in the error banner', async () => {
    await page.getByTestId('subset-select').selectOption('list');
    await page.getByTestId('subset-file').fill('no-such-list.txt');
    await expect.poll(() => textOf('problem-subset'), { timeout: 10_000 }).toMatch(/subset.*no-such-list\.txt|no-such-list\.txt/);
    expect(await page.getByTestId('pretrain-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('error-banner').count()).toBe(0);
    await page.getByTestId('subset-select').selectOption('random');
    await page.getByTestId('problem-subset').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('a pretrain can be cancelled and resumed to the end', async () => {
    // Three epochs of the sample: long enough to cancel after the first step.
    const epochs = page.getByRole('group', { name: /Pretrain/ }).getByLabel('Epochs');
    await epochs.fill('3');
    await page.getByTestId('pretrain-button').click();
    const row = page.locator('[data-testid="job-row"][data-kind="pretrain"]').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: JOB_TIMEOUT }).toBe('running');
    await expect.poll(() => page.getByTestId('job-progress').evaluate((el) => (el as unknown as { value: number }).value), { timeout: JOB_TIMEOUT }).toBeGreaterThan(0);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: JOB_TIMEOUT }).toBe('cancelled');
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: JOB_TIMEOUT }).not.toBe('cancelled');
    const id = await finishedJob('pretrain');
    const log = (await apiCall(server, 'jobs.log', { id })).lines.join('\n');
    expect(log).toMatch(/cancel/);
    expect(log).toMatch(/resum/);
    await epochs.fill('1');
  }, 2 * JOB_TIMEOUT);

  it('finetune from a chosen pretrain checkpoint, evaluate a chosen checkpoint by season: each names its checkpoint, the choropleth appears', async () => {
    // the pretrain resumed above ran several epochs: start from one of its earlier checkpoints
    const pretrain = (await page.locator('[data-testid="job-row"][data-kind="pretrain"][data-state="completed"]').first().getAttribute('data-job-id'))!;
    const from = await otherCheckpoint(pretrain);
    await page.getByTestId('pretrained-select').selectOption(pretrain);
    expect(await checkpointOptions('pretrained-checkpoint')).toContain(from.selector);
    await page.getByTestId('pretrained-checkpoint').selectOption(from.selector);
    await page.getByTestId('finetune-button').click();
    finetune = await finishedJob('finetune');
    const recorded = from.selector === 'best' ? `best checkpoint (step ${from.step}, epoch ${from.epoch})` : `${from.selector} checkpoint (epoch ${from.epoch})`;
    const row = page.locator(`[data-testid="job-row"][data-job-id="${finetune}"]`);
    await expect.poll(() => textOf('job-checkpoint', row)).toBe(`from pretrain: ${recorded}`);
    const job = (await apiCall(server, 'jobs.list', {})).find((j) => j.id === finetune)!;
    expect(job.spec.options).toMatchObject({ checkpoint: from.selector });
    expect((job.result as { pretrainedCheckpoint: unknown }).pretrainedCheckpoint).toMatchObject({ step: from.step, kind: from.selector === 'best' ? 'best' : 'step' });

    await openTab('Results');
    await page.getByTestId('evaluate-model').selectOption(finetune);
    // a finetune's default is its best checkpoint; evaluate its last instead
    expect(await checkpointOptions('evaluate-checkpoint')).toEqual(expect.arrayContaining(['best', 'last']));
    expect(await page.getByTestId('evaluate-checkpoint').inputValue()).toBe('best');
    await page.getByTestId('evaluate-checkpoint').selectOption('last');
    await page.getByTestId('evaluate-by').selectOption('season');
    await page.getByTestId('evaluate-button').click();
    await finishedJobByApi('evaluate');
    await page.getByTestId('choropleth-legend').waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nerror banner: ${await page.getByTestId('error-banner').textContent().catch(() => '(none)')}`);
    });
    await page.getByTestId('group-table').waitFor();
    expect(await page.getByTestId('group-table').locator('tbody tr').count()).toBeGreaterThan(0);
    // the evaluation names the checkpoint it scored and the pretrain checkpoint behind the model
    const { checkpoints } = await apiCall(server, 'runs.checkpoints', { run: finetune });
    const last = Math.max(...checkpoints.filter((c) => c.kind !== 'best').map((c) => c.step));
    const lastEpoch = checkpoints.find((c) => c.step === last)!.epoch;
    await expect
      .poll(() => textOf('results-checkpoint'))
      .toBe(`Evaluated: last checkpoint (step ${last}, epoch ${lastEpoch}). Model finetuned from pretrain: ${recorded}.`);
    // the map switches to the per-patch predictions of the evaluation it shows
    await expect.poll(() => page.getByTestId('colour-by').inputValue(), { timeout: 10_000 }).toBe('prediction');
    // and fits the view to the groups: the sample's hold-out scenes lie on every continent, so
    // that is the world, and the list holds every patch the evaluation scored
    const { patches: testPatches } = await apiCall(server, 'catalog.query', { dataset, query: { split: ['test'] } });
    const testIds = testPatches.map((p) => p.id);
    // the list is virtualised (only visible rows are in the DOM): narrow it to the test split to see them all
    const testBox = page.getByRole('group', { name: 'Split' }).getByLabel('test');
    await testBox.check();
    await expect.poll(() => inViewCount(page), { timeout: 10_000 }).toBe(testIds.length);
    expect(testIds).toEqual(expect.arrayContaining(await listedIds(page)));
    await testBox.uncheck();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(shots, 'results.png') });
  }, 2 * JOB_TIMEOUT);

  it('export writes the chosen checkpoint and says which one its card records', async () => {
    await openTab('Export');
    await page.getByTestId('export-run').selectOption(finetune);
    expect(await checkpointOptions('export-checkpoint')).toContain('best');
    expect(await page.getByTestId('export-checkpoint').inputValue()).toBe('best');
    const chosen = (await apiCall(server, 'runs.checkpoints', { run: finetune })).selectors.find((c) => c.selector.startsWith('step-'))!;
    await page.getByTestId('export-checkpoint').selectOption(chosen.selector);
    const dest = await page.getByTestId('export-dest').inputValue();
    await page.getByTestId('export-button').click();
    await page.getByTestId('export-done').waitFor({ timeout: JOB_TIMEOUT });
    expect(await textOf('export-done-checkpoint')).toBe(
      `Weights from the ${chosen.selector} checkpoint (epoch ${chosen.epoch}), as the model card records.`,
    );
    const card = JSON.parse(await readFile(join(dest, 'model-card.json'), 'utf8')) as { checkpoint: { kind: string; step: number } };
    expect(card.checkpoint).toMatchObject({ kind: 'step', step: chosen.step });
    for (const file of ['model.safetensors', 'model-card.json', 'model.json']) expect(existsSync(join(dest, file)), `${dest}/${file}`).toBe(true);
    // server mode: the folder is on the server; the browser downloads it as one zip
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    const job = (await apiCall(server, 'jobs.list', {})).filter((j) => j.kind === 'export').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    expect(download.suggestedFilename()).toBe(`${basename((job.spec.options as { run: string }).run)}-step${chosen.step}-${job.id}.zip`);
    const zipped = await readFile(await download.path());
    expect(zipped.subarray(0, 4).toString('hex')).toBe('504b0304');
    // the weights are stored uncompressed: their bytes appear as they are on the server
    expect(zipped.includes((await readFile(join(dest, 'model.safetensors'))).subarray(0, 4096))).toBe(true);
    await page.screenshot({ path: join(shots, 'export.png') });
    expect(studio.pageErrors).toEqual([]);
  }, JOB_TIMEOUT);

  it("breaks no rule of the page's Content-Security-Policy (styles from the app's own files only) on the whole walk", () => {
    expect(studio.cspViolations).toEqual([]);
  });
});
