/**
 * UI benchmark: a catalog of 180,000 synthetic footprints (rows only), served by
 * `sen12ms-studio serve`, opened in Chromium; measures the time from navigation to the map with
 * every point loaded and drawn, then frame times (requestAnimationFrame deltas) while panning and
 * zooming over the whole catalog. Chromium runs with --disable-gpu, so WebGL is SwiftShader's
 * software renderer: a workstation with a GPU draws faster.
 * Run with `npm run build && npm run bench:ui` (compiled) or `npx tsx bench/ui.ts` after a build.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { openAppDb } from '../core/app-db/schema.js';
import { setSetting } from '../core/app-db/settings.js';
import { defaultCatalogPath } from '../core/catalog/location.js';
import { writeSyntheticCatalog } from './ui-catalog.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable, launchChromium } from './ui-chromium.js';
import { startStudioServer } from './ui-server.js';

const PATCHES = 180_000;
const TARGET_FPS = 50;
const PHASE_MS = 3000;

export interface FrameStats {
  phase: string;
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  medianFps: number;
  /** Frames over the phase's duration: unlike the median, long stalls pull it down. */
  meanFps: number;
}

export interface UiBenchResult {
  patches: number;
  scenes: number;
  catalogSeconds: number;
  firstMapSeconds: number;
  phases: FrameStats[];
}

function stats(phase: string, deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const median = at(0.5);
  const total = deltas.reduce((a, b) => a + b, 0);
  return { phase, frames: deltas.length, medianMs: median, p95Ms: at(0.95), maxMs: sorted.at(-1) ?? NaN, medianFps: 1000 / median, meanFps: (1000 * deltas.length) / total };
}

/**
 * Starts recording rAF deltas in the page; the returned function stops and hands them over. The
 * in-page code is a string: under tsx, esbuild would wrap named functions in a helper the page lacks.
 */
async function recordFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = 0;
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  })()`);
  return async () => (await page.evaluate('(window.__recording = false, window.__frames)')) as number[];
}

/** Drags the map in a circle for `ms`, one mouse move per frame-ish step. */
async function pan(page: Page, box: { x: number; y: number; width: number; height: number }, ms: number): Promise<void> {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const r = Math.min(box.width, box.height) / 4;
  await page.mouse.move(cx + r, cy);
  await page.mouse.down();
  const start = Date.now();
  for (let i = 0; Date.now() - start < ms; i++) {
    const a = (i / 30) * Math.PI * 2;
    await page.mouse.move(cx + r * Math.cos(a), cy + r * Math.sin(a));
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

/** Wheel in and out over the map centre for `ms`. */
async function zoom(page: Page, box: { x: number; y: number; width: number; height: number }, ms: number): Promise<void> {
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const start = Date.now();
  for (let i = 0; Date.now() - start < ms; i++) {
    await page.mouse.wheel(0, Math.floor(i / 8) % 2 === 0 ? -120 : 120);
    await page.waitForTimeout(120);
  }
}

export async function benchUi(): Promise<UiBenchResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-bench-ui-'));
  const cacheDir = path.join(tmp, 'cache');
  const dataDir = path.join(tmp, 'data');
  const datasetDir = path.join(tmp, 'synthetic-180k');
  try {
    await Promise.all([mkdir(datasetDir, { recursive: true }), mkdir(dataDir, { recursive: true })]);
    const t0 = performance.now();
    const catalog = defaultCatalogPath(datasetDir, { SEN12MS_STUDIO_CACHE: cacheDir });
    await mkdir(path.dirname(catalog), { recursive: true });
    const { scenes } = writeSyntheticCatalog(catalog, datasetDir, PATCHES);
    const catalogSeconds = (performance.now() - t0) / 1000;
    process.stderr.write(`catalog: ${PATCHES} rows in ${catalogSeconds.toFixed(1)} s\n`);
    // Registered as already opened: the app shows it from its catalog, without indexing a folder that holds no files.
    const appDb = openAppDb(path.join(dataDir, 'app.sqlite'));
    setSetting(appDb, 'datasets', [datasetDir]);
    setSetting(appDb, 'lastDataset', datasetDir);
    appDb.close();

    const server = await startStudioServer({ dataDir, cacheDir, timeoutMs: 180_000 });
    process.stderr.write(`serving ${server.origin}\n`);
    const browser = await launchChromium();
    try {
      // The app's CSP forbids eval; the benchmark's own probes are strings (see recordFrames).
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
      const start = performance.now();
      await page.goto(server.url);
      // Every point loaded into the map (the sidebar stops saying "on the map N"), then two frames:
      // the one that draws the last points, and one that shows it was presented.
      await page.waitForFunction(
        `document.querySelector('[data-testid="patch-count"]')?.textContent?.replace(/\\D/g, '') === '${PATCHES}' &&
         !document.querySelector('.sidebar')?.textContent?.includes('on the map')`,
        undefined,
        { timeout: 300_000, polling: 50 },
      );
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      const firstMapSeconds = (performance.now() - start) / 1000;
      process.stderr.write(`first map with every point: ${firstMapSeconds.toFixed(1)} s\n`);

      const box = (await page.getByTestId('map').boundingBox())!;
      const phases: FrameStats[] = [];
      for (const [name, action] of [
        ['pan, whole catalog in view', () => pan(page, box, PHASE_MS)],
        ['zoom in and out (wheel)', () => zoom(page, box, PHASE_MS)],
      ] as const) {
        const stop = await recordFrames(page);
        await action();
        phases.push(stats(name, await stop()));
      }
      return { patches: PATCHES, scenes, catalogSeconds, firstMapSeconds, phases };
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export function formatUiTable(result: UiBenchResult): string {
  const lines = [
    '| phase | frames | median frame (ms) | p95 frame (ms) | longest frame (ms) | median fps | frames / s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.phases.map(
      (p) =>
        `| ${p.phase} | ${p.frames} | ${p.medianMs.toFixed(1)} | ${p.p95Ms.toFixed(1)} | ${p.maxMs.toFixed(0)} | ${p.medianFps.toFixed(1)} | ${p.meanFps.toFixed(1)} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!chromiumAvailable) {
    process.stdout.write(`bench:ui needs Chromium at ${CHROMIUM_PATH}; not found, nothing measured.\n`);
    return;
  }
  const r = await benchUi();
  const worst = Math.min(...r.phases.map((p) => p.medianFps));
  const worstMean = Math.min(...r.phases.map((p) => p.meanFps));
  process.stdout.write(
    `## UI: ${r.patches.toLocaleString('en-US')} synthetic footprints (${r.scenes} scenes) in Chromium\n\n` +
      `Chromium ${CHROMIUM_ARGS.join(' ')}: no GPU, WebGL runs on SwiftShader (software).\n\n` +
      `${formatUiTable(r)}\n\n` +
      `Catalog of ${r.patches.toLocaleString('en-US')} rows written in ${r.catalogSeconds.toFixed(1)} s.\n` +
      `Navigation to the map with every point loaded and drawn: ${r.firstMapSeconds.toFixed(1)} s.\n` +
      `Median fps, worst phase: ${worst.toFixed(1)} (target >= ${TARGET_FPS}: ${worst >= TARGET_FPS ? 'met' : 'NOT met'}); ` +
      `frames per second over the worst phase: ${worstMean.toFixed(1)}.\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
