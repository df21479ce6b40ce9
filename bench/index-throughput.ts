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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

export function formatIndexRun(triplets: number, r: IndexRun): string {
  return (
    `${triplets} triplets in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond)} triplets/s` +
    ` (steady ${Math.round(r.steadyPerSecond)}/s, CPU ${r.cpuMsPerTriplet.toFixed(2)} ms/triplet)`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const r = await benchIndex();
  r.runs.forEach((run, i) => process.stdout.write(`run ${i + 1}: ${formatIndexRun(r.triplets, run)}\n`));
  process.stdout.write(`index throughput (median run, ${os.availableParallelism()} cores): ${formatIndexRun(r.triplets, r)}\n`);
}
