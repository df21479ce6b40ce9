/**
 * Embedded sample generation: how long a first start waits for `ensureSample` (SAMPLE_SPEC into
 * an empty cache), against a reference in the same run: writing the same files' bytes again
 * with plain fs.writeFile, the floor any generator of these files pays on this disk. Run with
 * `npm run build && node dist/bench/sample-generation.js [--runs N]`; one JSON line on stdout.
 *
 * CPU time (all threads) is reported too: it is what other processes on a shared machine
 * disturb least, and on an idle machine the wall time is at least that.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSample, SAMPLE_SPEC } from '../core/synth/sample.js';

interface Run {
  seconds: number;
  cpuSeconds: number;
}

async function generateOnce(cacheDir: string): Promise<{ dir: string; run: Run }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const dir = await ensureSample({ cacheDir });
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  return { dir, run: { seconds, cpuSeconds: (used.user + used.system) / 1e6 } };
}

/** The reference: the generated files' bytes written again to a new folder. */
async function rewrite(from: string, to: string): Promise<{ files: number; bytes: number; run: Run }> {
  const names = (await readdir(from, { recursive: true })).filter((f) => f.endsWith('.tif'));
  const contents = await Promise.all(names.map(async (n) => [n, await readFile(path.join(from, n))] as const));
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (const [name, bytes] of contents) {
    await mkdir(path.dirname(path.join(to, name)), { recursive: true });
    await writeFile(path.join(to, name), bytes);
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  return { files: names.length, bytes: contents.reduce((s, [, b]) => s + b.length, 0), run: { seconds, cpuSeconds: (used.user + used.system) / 1e6 } };
}

export async function benchSample(runs = 1) {
  const generate: Run[] = [];
  const reference: Run[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-sample-'));
    try {
      const { dir, run } = await generateOnce(tmp);
      generate.push(run);
      const ref = await rewrite(dir, path.join(tmp, 'rewrite'));
      reference.push(ref.run);
      ({ files, bytes } = ref);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const median = (rs: Run[]) => [...rs].sort((a, b) => a.seconds - b.seconds)[Math.floor(rs.length / 2)];
  const [g, r] = [median(generate), median(reference)];
  return {
    spec: SAMPLE_SPEC,
    triplets: files / 3,
    megabytes: Math.round(bytes / 1e6),
    generateSeconds: round(g.seconds),
    generateCpuSeconds: round(g.cpuSeconds),
    rewriteSeconds: round(r.seconds),
    generateOverRewrite: round(g.seconds / r.seconds),
    loadAverage: os.loadavg().map(round),
    cores: os.availableParallelism(),
    runs: { generate, reference },
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${process.argv[i + 1]}`);
  console.log(JSON.stringify(await benchSample(runs)));
}
