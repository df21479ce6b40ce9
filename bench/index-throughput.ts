/**
 * Index throughput: synthesizes a SEN12MS-format data set into a temp folder, indexes it into a
 * fresh catalog and reports triplets per second. Run alone with `npx tsx bench/index-throughput.ts`
 * (or `node dist/bench/index-throughput.js`); bench/data.ts calls benchIndex() as one section.
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
}

export interface BenchIndexResult {
  triplets: number;
  seconds: number;
  perSecond: number;
}

export async function benchIndex(opts: BenchIndexOptions = {}): Promise<BenchIndexResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sen12ms-bench-index-'));
  try {
    const dataset = path.join(work, 'data');
    await synthesize(dataset, { scenes: opts.scenes ?? 12, patchesPerScene: opts.patchesPerScene ?? 100, seed: opts.seed ?? 7 });
    const result = await index(dataset, { db: path.join(work, 'catalog.sqlite') });
    return { triplets: result.triplets, seconds: result.seconds, perSecond: result.triplets / result.seconds };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const r = await benchIndex();
  process.stdout.write(`index throughput: ${r.triplets} triplets in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond)} triplets/s\n`);
}
