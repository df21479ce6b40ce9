/**
 * Decode benchmark: writes synthetic S1 and S2 patches (uncompressed strips as GDAL writes by
 * default, and tiled DEFLATE) with rasterio, then measures decoded MB/s of the DecodePool and
 * of rasterio on the same files, and prints a Markdown table. Also measures header throughput
 * and, as its own section, index throughput. Needs /usr/bin/python3 with rasterio and numpy.
 * Run with `npm run bench:data` (compiled) or `npx tsx bench/data.ts`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { DecodePool } from '../core/dataset/tiff/pool.js';
import { readRaster } from '../core/dataset/tiff/reader.js';
import { benchIndex, benchIndexMemory, formatIndexMemory, formatIndexRun } from './index-throughput.js';
import { PYTHON, refScript } from './ref/ref-script.js';

const VARIANTS = { plain: 'uncompressed strips', deflate: 'tiled DEFLATE' } as const;
const SENSORS = { s1: 'S1 float32 x2', s2: 'S2 uint16 x13' } as const;
const HEADER_READS = 5000;

export interface DecodeBenchOptions {
  /** Patches per sensor and variant (default 120). */
  count?: number;
  /** Timed passes over the files (default 3). */
  passes?: number;
  /** Pool size (default os.availableParallelism()). */
  workers?: number;
}

export interface DecodeBenchRow {
  data: string;
  files: number;
  /** Size on disk / decoded size. */
  compression: number;
  poolMBps: number;
  singleThreadMBps: number;
  rasterioMBps: number;
}

export interface DecodeBenchResult {
  workers: number;
  passes: number;
  rows: DecodeBenchRow[];
  headersPerSecond: number;
}

/**
 * Files per timed run. Other processes share the CPU: short runs of each reader, alternated,
 * and the best run of each kept, compare the readers under the same conditions.
 */
const CHUNK = 20;

/** The names make_patches.py writes. */
function patchFiles(work: string, variant: string, sensor: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => path.join(work, variant, `${sensor}_${String(i).padStart(3, '0')}.tif`));
}

function python(args: string[]): void {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (is rasterio installed?): ${r.stderr || r.error}`);
}

/** rasterio_decode.py kept running: one list file in, its decode rate (bytes/s) out. */
class RasterioDecoder {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor() {
    this.child = spawn(PYTHON, [refScript('rasterio_decode.py')]);
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async rate(listFile: string): Promise<number> {
    this.child.stdin.write(`${listFile}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`rasterio_decode.py ended: ${this.stderr}`);
    const r = JSON.parse(next.value) as { bytes: number; seconds: number };
    return r.bytes / r.seconds;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Runs `run`, which returns a count of bytes or items, and gives that count per second. */
async function rate(run: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const amount = await run();
  return amount / ((performance.now() - start) / 1000);
}

const decodedBytes = (data: ArrayBufferView[]) => data.reduce((s, a) => s + a.byteLength, 0);

export async function benchDecode(opts: DecodeBenchOptions = {}): Promise<DecodeBenchResult> {
  const count = opts.count ?? 120;
  const passes = opts.passes ?? 3;
  const workers = opts.workers ?? os.availableParallelism();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sen12ms-bench-decode-'));
  const pool = new DecodePool({ size: workers });
  let rasterio: RasterioDecoder | undefined;
  try {
    python([refScript('make_patches.py'), work, String(count)]);
    rasterio = new RasterioDecoder();
    const rows: DecodeBenchRow[] = [];
    for (const [variant, variantName] of Object.entries(VARIANTS)) {
      for (const [sensor, sensorName] of Object.entries(SENSORS)) {
        const files = patchFiles(work, variant, sensor, count);
        const chunks = Array.from({ length: Math.ceil(count / CHUNK) }, (_, c) => {
          const chunk = files.slice(c * CHUNK, (c + 1) * CHUNK);
          const listFile = path.join(work, `${variant}-${sensor}-${c}.txt`);
          fs.writeFileSync(listFile, chunk.join('\n'));
          return { files: chunk, listFile };
        });
        // Warm-up: starts the workers and lets the JIT see the code path.
        await Promise.all(chunks[0].files.map((f) => pool.readRaster(f)));
        const best = { pool: 0, single: 0, rasterio: 0 };
        for (let p = 0; p < passes; p++) {
          for (const chunk of chunks) {
            const viaPool = async () => decodedBytes((await Promise.all(chunk.files.map((f) => pool.readRaster(f)))).flatMap((r) => r.data));
            const oneThread = async () => {
              let bytes = 0;
              for (const f of chunk.files) bytes += decodedBytes((await readRaster(f)).data);
              return bytes;
            };
            best.pool = Math.max(best.pool, await rate(viaPool));
            best.single = Math.max(best.single, await rate(oneThread));
            best.rasterio = Math.max(best.rasterio, await rasterio.rate(chunk.listFile));
          }
        }
        let onDisk = 0;
        for (const f of files) onDisk += fs.statSync(f).size;
        const decoded = decodedBytes((await readRaster(files[0])).data) * count;
        rows.push({ data: `${sensorName}, ${variantName}`, files: count, compression: onDisk / decoded, poolMBps: best.pool / 1e6, singleThreadMBps: best.single / 1e6, rasterioMBps: best.rasterio / 1e6 });
      }
    }
    // A sustained stream, as when indexing: a short burst mostly measures the ramp-up.
    const all = Object.keys(VARIANTS).flatMap((v) => Object.keys(SENSORS).flatMap((s) => patchFiles(work, v, s, count)));
    const stream = Array.from({ length: HEADER_READS }, (_, i) => all[i % all.length]);
    let headersPerSecond = 0;
    for (let p = 0; p < passes; p++) {
      headersPerSecond = Math.max(headersPerSecond, await rate(async () => (await Promise.all(stream.map((f) => pool.readHeader(f)))).length));
    }
    return { workers, passes, rows, headersPerSecond };
  } finally {
    rasterio?.close();
    await pool.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function formatDecodeTable(result: DecodeBenchResult): string {
  const f0 = (x: number) => Math.round(x).toString();
  const lines = [
    `| data | files | on disk / decoded | ours: pool of ${result.workers} (MB/s) | ours: 1 thread (MB/s) | rasterio: 1 thread (MB/s) | ratio pool / rasterio | ratio 1 thread / rasterio |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.rows.map((r) => `| ${r.data} | ${r.files} | ${r.compression.toFixed(2)} | ${f0(r.poolMBps)} | ${f0(r.singleThreadMBps)} | ${f0(r.rasterioMBps)} | ${(r.poolMBps / r.rasterioMBps).toFixed(2)}x | ${(r.singleThreadMBps / r.rasterioMBps).toFixed(2)}x |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const decode = await benchDecode();
  process.stdout.write(`## GeoTIFF decode (${os.availableParallelism()} cores, best of ${decode.passes} passes over runs of ${CHUNK} files, each reader in turn)\n\n${formatDecodeTable(decode)}\n\n`);
  process.stdout.write(`Header reads through the pool, a stream of ${HEADER_READS}: ${Math.round(decode.headersPerSecond)} files/s.\n\n`);
  // Index throughput section (bench/index-throughput.ts).
  const index = await benchIndex();
  process.stdout.write(`## Index throughput (median of ${index.runs.length} runs)\n\n${formatIndexRun(index.triplets, index)}\n`);
  // Bounded memory whatever the files hold: peak RSS on a folder with 2e9-byte sparse LC files vs a clean one.
  process.stdout.write(`\n## Index memory, hostile vs clean folder\n\n${formatIndexMemory(await benchIndexMemory())}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
