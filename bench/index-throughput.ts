/**
 * Index throughput: synthesizes a SEN12MS-format data set into a temp folder once, indexes it into
 * a fresh catalog several times and reports triplets per second. Run alone with
 * `npx tsx bench/index-throughput.ts` (or `node dist/bench/index-throughput.js`); bench/data.ts
 * calls benchIndex() as one section.
 *
 * Three figures per run, because a short run on a shared machine says little on its own:
 * - the whole run (worker start-up included: ~0.1 s compiled, ~1 s under tsx, which compiles
 *   the worker's TypeScript in every worker);
 * - the steady rate after the first triplet is written, which a 180,000-patch run tends to;
 * - CPU time of all threads per triplet, which other processes disturb least: on an idle
 *   machine the rate is at most cores / that.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { index } from '../core/catalog/indexer.js';
import { synthesize } from '../core/synth/synthesize.js';

export interface BenchIndexOptions {
  /** Scenes to synthesize; with patchesPerScene sets the size (default 12 x 100 = 1,200 triplets). */
  scenes?: number;
  patchesPerScene?: number;
  seed?: number;
  /** Index runs over the same files, each into a new catalog (default 3). */
  runs?: number;
}

export interface IndexRun {
  seconds: number;
  perSecond: number;
  /** Triplets per second from the first written triplet to the end. */
  steadyPerSecond: number;
  /** CPU time of the process (all threads) per triplet, in ms. */
  cpuMsPerTriplet: number;
}

export interface BenchIndexResult extends IndexRun {
  triplets: number;
  /** Every run in order; the top-level figures are those of the median run by perSecond. */
  runs: IndexRun[];
}

async function indexOnce(dataset: string, db: string): Promise<{ triplets: number; run: IndexRun }> {
  let firstAt = 0;
  const cpu = process.cpuUsage();
  const result = await index(dataset, {
    db,
    onProgress: (done) => {
      if (done === 1) firstAt = performance.now();
    },
  });
  const endAt = performance.now();
  const used = process.cpuUsage(cpu);
  const n = result.triplets;
  return {
    triplets: n,
    run: {
      seconds: result.seconds,
      perSecond: n / result.seconds,
      steadyPerSecond: ((n - 1) / (endAt - firstAt)) * 1000,
      cpuMsPerTriplet: (used.user + used.system) / 1000 / n,
    },
  };
}

export async function benchIndex(opts: BenchIndexOptions = {}): Promise<BenchIndexResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sen12ms-bench-index-'));
  try {
    const dataset = path.join(work, 'data');
    await synthesize(dataset, { scenes: opts.scenes ?? 12, patchesPerScene: opts.patchesPerScene ?? 100, seed: opts.seed ?? 7 });
    const runs: IndexRun[] = [];
    let triplets = 0;
    for (let i = 0; i < (opts.runs ?? 3); i++) {
      const once = await indexOnce(dataset, path.join(work, `catalog-${i}.sqlite`));
      triplets = once.triplets;
      runs.push(once.run);
    }
    const median = [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)];
    return { triplets, ...median, runs };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export interface BenchIndexMemoryOptions {
  scenes?: number;
  patchesPerScene?: number;
  seed?: number;
  /** Every how-many-th LC file of the hostile copy becomes a 2e9-byte sparse file (default 10). */
  hugeEvery?: number;
}

export interface BenchIndexMemoryResult {
  triplets: number;
  /** LC files of the hostile folder made 2e9 bytes (sparse: a good header, then a hole). */
  hugeFiles: number;
  /** Peak resident set of a fresh process indexing the folder (workers included), MB. */
  cleanPeakMB: number;
  hostilePeakMB: number;
  /** Problem rows of the hostile run. */
  hostileProblems: number;
}

/** Indexes `dataset` in a fresh Node process (this module, child mode) and returns its peak RSS in MB and problem count. */
function indexInChild(dataset: string, db: string): { peakMB: number; problems: number } {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [...process.execArgv, script, '--peak-rss-child', dataset, db], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { peakMB: number; problems: number };
}

/**
 * Peak RSS of `index` on a hostile folder vs a clean folder of the same patch count: the hostile
 * copy has every `hugeEvery`-th LC file extended (fs.truncate, sparse) to 2e9 bytes. Each run is
 * a fresh process, so one peak does not hide the other. Goal: hostile within 1.5x of clean.
 */
export async function benchIndexMemory(opts: BenchIndexMemoryOptions = {}): Promise<BenchIndexMemoryResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sen12ms-bench-index-rss-'));
  try {
    const clean = path.join(work, 'clean');
    const summary = await synthesize(clean, { scenes: opts.scenes ?? 10, patchesPerScene: opts.patchesPerScene ?? 200, seed: opts.seed ?? 7 });
    const hostile = path.join(work, 'hostile');
    fs.cpSync(clean, hostile, { recursive: true });
    const lcFiles = (fs.readdirSync(hostile, { recursive: true }) as string[]).filter((f) => /_lc_\d+_p\d+\.tif$/.test(f)).sort();
    const every = opts.hugeEvery ?? 10;
    let hugeFiles = 0;
    lcFiles.forEach((f, i) => {
      if (i % every !== 0) return;
      fs.truncateSync(path.join(hostile, f), 2e9);
      hugeFiles++;
    });
    const c = indexInChild(clean, path.join(work, 'clean.sqlite'));
    const h = indexInChild(hostile, path.join(work, 'hostile.sqlite'));
    return { triplets: summary.triplets, hugeFiles, cleanPeakMB: c.peakMB, hostilePeakMB: h.peakMB, hostileProblems: h.problems };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function formatIndexMemory(r: BenchIndexMemoryResult): string {
  return (
    `peak RSS of index, ${r.triplets} triplets: clean ${r.cleanPeakMB.toFixed(0)} MB, hostile (${r.hugeFiles} LC files of 2e9 bytes, ` +
    `${r.hostileProblems} problems) ${r.hostilePeakMB.toFixed(0)} MB = ${(r.hostilePeakMB / r.cleanPeakMB).toFixed(2)}x (goal <= 1.5x)`
  );
}

export function formatIndexRun(triplets: number, r: IndexRun): string {
  return (
    `${triplets} triplets in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond)} triplets/s` +
    ` (steady ${Math.round(r.steadyPerSecond)}/s, CPU ${r.cpuMsPerTriplet.toFixed(2)} ms/triplet)`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href && process.argv[2] === '--peak-rss-child') {
  const [dataset, db] = process.argv.slice(3);
  const result = await index(dataset, { db });
  process.stdout.write(`${JSON.stringify({ peakMB: process.resourceUsage().maxRSS / 1024, problems: result.problems })}\n`);
} else if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const r = await benchIndex();
  r.runs.forEach((run, i) => process.stdout.write(`run ${i + 1}: ${formatIndexRun(r.triplets, run)}\n`));
  process.stdout.write(`index throughput (median run, ${os.availableParallelism()} cores): ${formatIndexRun(r.triplets, r)}\n`);
  process.stdout.write(`${formatIndexMemory(await benchIndexMemory())}\n`);
}
