/**
 * The Train form end to end in Chromium against `sen12ms-studio serve` on the embedded sample:
 * the subset as a choice, problems next to their fields (never a raw schema error in the banner),
 * each phase checked alone, the backend and the GPU warning, the estimate before launch, the
 * running job's settings, and a demo run that learns. One server, one page.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../../bench/ui-server.js';
import { apiCall, chromiumAvailable, JOB_TIMEOUT, openStudio, openTab, textOf, waitForCatalog, type Studio } from './e2e-fixture.js';

describe.skipIf(!chromiumAvailable)('the Train form in Chromium (skipped where /usr/bin/chromium is absent)', () => {
  let studio: Studio;
  let server: StudioServer;
  let page: Page;
  let dataset: string;

  beforeAll(async () => {
    studio = await openStudio();
    ({ server, page } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  const text = (testid: string) => textOf(page, testid);
  const pretrainGroup = () => page.getByRole('group', { name: /Pretrain/ });
  const bannerCount = () => page.getByTestId('error-banner').count();

  it('offers the subset as a choice, with a number for random draws and a file for lists, problems next to the field', async () => {
    dataset = await waitForCatalog(studio);
    await openTab(page, 'Train');
    const subset = page.getByTestId('subset-select');
    expect(await subset.locator('option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value))).toEqual([
      'all', 'one-per-scene', 'non-overlapping', 'random', 'random-seasons', 'list',
    ]);
    // the demo draws a fixed 32 patches
    expect(await subset.inputValue()).toBe('random');
    expect(await page.getByTestId('subset-n').inputValue()).toBe('32');
    await page.getByTestId('subset-n').fill('0');
    await expect.poll(() => text('problem-subset')).toMatch(/number of patches must be a whole number of at least 1, got 0/);
    expect(await page.getByTestId('pretrain-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('finetune-button').isDisabled()).toBe(true);
    await page.getByTestId('subset-n').fill('32');
    await page.getByTestId('problem-subset').waitFor({ state: 'detached' });

    await subset.selectOption('list');
    await expect.poll(() => text('problem-subset')).toMatch(/name the patch list file/);
    // a file the service cannot read: its refusal lands next to the field too, not in the banner
    await page.getByTestId('subset-file').fill('no-such-list.txt');
    await expect.poll(() => text('problem-subset'), { timeout: 10_000 }).toMatch(/no-such-list\.txt/);
    expect(await bannerCount()).toBe(0);
    await subset.selectOption('random');
    await page.getByTestId('problem-subset').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('a faulty pretrain field is named next to it and leaves Finetune enabled', async () => {
    const epochs = pretrainGroup().getByLabel('Epochs');
    await epochs.fill('0');
    await expect.poll(() => text('problem-pretrain-epochs')).toBe('must be >= 1, got 0');
    expect(await page.getByTestId('pretrain-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('finetune-button').isEnabled()).toBe(true);
    expect(await bannerCount()).toBe(0);
    await epochs.fill('15');
    await expect.poll(() => page.getByTestId('pretrain-button').isEnabled()).toBe(true);
  });

  it('names the backend, and warns when the research preset would run without a GPU', async () => {
    await expect.poll(() => text('train-backend'), { timeout: 10_000 }).toMatch(/^Trains on (CPU|GPU): /);
    const guess = await apiCall(server, 'jobs.estimate', { dataset, kind: 'pretrain', options: { depth: 10, size: 32, batchSize: 8 } });
    expect(await text('train-backend')).toContain(guess.backend.engine);
    expect(await page.getByTestId('gpu-warning').count()).toBe(0);
    await page.getByTestId('preset-select').selectOption('research');
    if (guess.backend.device === 'cpu') {
      await expect.poll(() => text('gpu-warning'), { timeout: 10_000 }).toMatch(/^No GPU here: ResNet-50 at 256 px is the research's GPU set-up/);
      // the estimate says what the research's batch makes of this selection before anything runs
      await expect.poll(() => text('pretrain-estimate'), { timeout: 10_000 }).toMatch(/batch of 64|steps/);
      await page.screenshot({ path: join(studio.shots, 'train-form-research.png') });
    } else {
      await page.waitForTimeout(1000);
      expect(await page.getByTestId('gpu-warning').count()).toBe(0);
    }
    await page.getByTestId('preset-select').selectOption('tiny-demo');
    await page.getByTestId('gpu-warning').waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('estimates the steps before launch, then times the configuration from a finished demo run that learns', async () => {
    await expect.poll(() => text('pretrain-estimate'), { timeout: 10_000 }).toMatch(/^60 steps: 15 epochs of 4 steps \(32 patches\); time not measured yet/);
    await expect.poll(() => text('finetune-estimate'), { timeout: 10_000 }).toMatch(/^20 steps: 5 epochs of 4 steps \(32 patches\); time not measured yet/);

    await page.getByTestId('finetune-button').click();
    // while it runs, the form shows what the job runs
    await expect.poll(() => text('running-settings'), { timeout: JOB_TIMEOUT }).toMatch(/finetune/);
    const running = await text('running-settings');
    expect(running).toMatch(/Architecture: ResNet-10/);
    expect(running).toMatch(/Subset: random:32/);
    expect(running).toMatch(/Epochs: 5/);
    expect(running).toMatch(/Checkpoints kept: last, best \+ 2 older/);

    const newest = async () => (await apiCall(server, 'jobs.list', {})).filter((j) => j.kind === 'finetune')[0];
    await expect.poll(async () => (await newest())?.state, { timeout: 3 * JOB_TIMEOUT, interval: 1000 }).toMatch(/completed|failed|interrupted|cancelled/);
    const job = await newest();
    expect(job.state, job.error ?? '').toBe('completed');
    const steps = (await readFile(join(job.runDir!, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { loss?: number; epoch_end?: boolean })
      .filter((r) => r.epoch_end !== true);
    expect(steps).toHaveLength(20);
    expect(steps.at(-1)!.loss!).toBeLessThan(steps[0].loss!);
    await page.getByTestId('running-settings').waitFor({ state: 'detached', timeout: 10_000 });

    // the finished run measured this configuration's step time
    await expect.poll(() => text('finetune-estimate'), { timeout: 10_000 }).toMatch(/^20 steps: 5 epochs of 4 steps \(32 patches\); about .* measured here: 20 steps in .* over 1 finished job of this configuration/);
    // the estimate and the finished run's falling loss in one view
    await page.getByTestId('loss-curve').evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(studio.shots, 'train-form.png') });

    // a configuration not run yet: the finished one's step time, scaled by compute and said to be
    const size = page.getByLabel('Size (px)');
    await size.fill('64');
    await expect.poll(() => text('finetune-estimate'), { timeout: 10_000 }).toMatch(/^20 steps: .*; roughly .* ResNet-10 at 32 px, batch 8, ran .* scaled ×4\.0 by compute/);
    await size.fill('32');
  }, 4 * JOB_TIMEOUT);

  it('sets how many older periodic checkpoints a run keeps; new jobs record it', async () => {
    const field = page.getByTestId('keep-checkpoints');
    expect(await field.inputValue()).toBe(String((await apiCall(server, 'settings.get', {})).keepCheckpoints));
    await field.fill('0');
    await field.press('Tab');
    await expect.poll(async () => (await apiCall(server, 'settings.get', {})).keepCheckpoints).toBe(0);
    await page.reload();
    await openTab(page, 'Train');
    await expect.poll(() => page.getByTestId('keep-checkpoints').inputValue(), { timeout: 30_000 }).toBe('0');
    // a job started now records it in its options, which its config.json takes
    const job = await apiCall(server, 'jobs.start', { dataset, kind: 'pretrain', options: { depth: 10, size: 32, batchSize: 8, epochs: 1, maxSteps: 1, subset: 'random:16', queueSize: 16 } });
    expect((job.spec.options as { keepCheckpoints?: number }).keepCheckpoints).toBe(0);
    await apiCall(server, 'jobs.cancel', { id: job.id }).catch(() => undefined);
  }, JOB_TIMEOUT);

  it("breaks no rule of the page's Content-Security-Policy and throws nothing", () => {
    expect(studio.cspViolations).toEqual([]);
    expect(studio.pageErrors).toEqual([]);
  });
});
