/**
 * API responsiveness while a model trains: latency of catalog queries through the WebSocket
 * transport of server mode, idle, while `patch.bands` calls decode rasters (in the decode pool,
 * off the service's thread) and while a pretraining job runs in its worker process, in the
 * same run. Two catalogs: the embedded sample (what `npm start` opens) and 180,000 synthetic rows
 * (the size of SEN12MS), each queried with map-viewport boxes as the renderer sends them. The
 * 180,000-row catalog is opened by the service from a folder whose catalog is written straight
 * into the cache (rows only, no files), so the timings include the whole path a click takes:
 * socket, validation, SQLite, JSON.
 *
 *   npm run bench:latency       (node dist/bench/service-latency.js)
 *   npx tsx bench/service-latency.ts [--queries 400] [--rows 180000]
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { openAppDb } from '../core/app-db/schema.js';
import { setSetting } from '../core/app-db/settings.js';
import { defaultCatalogPath } from '../core/catalog/location.js';
import { intOption, parseCommandLine } from '../core/cli/args.js';
import { forkJobProcess } from '../core/jobs/job-process.js';
import type { Bbox, DatasetInfo, PatchSummary, QueryPage, StudioEvent } from '../core/common/api/contract.js';
import { createStudioService } from '../core/service/service.js';
import type { ServerMessage } from '../core/common/api/wire.js';
import { startServer } from '../core/server/server.js';
import { Rng } from '../core/util/rng.js';
import { writeSyntheticCatalog } from './ui-catalog.js';

const TARGET_P99_MS = 50;

interface Latency {
  catalog: string;
  phase: 'idle' | 'decoding' | 'training';
  queries: number;
  patchesPerQuery: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One socket, calls answered by id; events handed to `onEvent`. */
class SocketClient {
  private next = 0;
  private readonly pending = new Map<number, (m: ServerMessage) => void>();

  private constructor(
    private readonly ws: WebSocket,
    onEvent: (e: StudioEvent) => void,
  ) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ServerMessage;
      if (msg.type === 'event') onEvent(msg.event);
      else if (msg.id !== null) this.pending.get(msg.id)?.(msg);
    });
  }

  static open(url: string, onEvent: (e: StudioEvent) => void): Promise<SocketClient> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new SocketClient(ws, onEvent)));
      ws.once('error', reject);
    });
  }

  call<T>(method: string, params: unknown): Promise<T> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (msg) => {
        this.pending.delete(id);
        if (msg.type === 'error') reject(new Error(`${method}: ${msg.error.message}`));
        else if (msg.type === 'result') resolve(msg.result as T);
      });
      this.ws.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** A viewport at a zoom where the map asks for footprints: 2 x 1.5 degrees around a point. */
function viewport([lon, lat]: [number, number]): Bbox {
  return [Math.max(-180, lon - 1), Math.max(-90, lat - 0.75), Math.min(180, lon + 1), Math.min(90, lat + 0.75)];
}

/** Centroids of random patches (untimed), so every viewport is over data as a user's would be. */
async function randomCentroids(client: SocketClient, ds: DatasetInfo, n: number, rng: Rng): Promise<[number, number][]> {
  const points: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const page = await client.call<QueryPage<PatchSummary>>('catalog.query', { dataset: ds.id, query: { page: { offset: rng.int(ds.patches), limit: 1 } } });
    points.push(page.patches[0].centroid);
  }
  return points;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(client: SocketClient, ds: DatasetInfo, phase: Latency['phase'], queries: number, seed: number): Promise<Latency> {
  const rng = new Rng(seed);
  const centres = await randomCentroids(client, ds, 50, rng);
  const times: number[] = [];
  let patches = 0;
  for (let i = 0; i < queries; i++) {
    const query = { bbox: viewport(centres[i % centres.length]), fields: 'footprint', page: { offset: 0, limit: 1000 } };
    const t0 = performance.now();
    patches += (await client.call<QueryPage<PatchSummary>>('catalog.query', { dataset: ds.id, query })).patches.length;
    times.push(performance.now() - t0);
    // the map asks again as the user pans, not in a tight loop
    await new Promise((r) => setTimeout(r, 5));
  }
  times.sort((a, b) => a - b);
  return { catalog: ds.name, phase, queries, patchesPerQuery: patches / queries, p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99), max: times.at(-1)! };
}

/** Keeps `inFlight` patch.bands calls (S2 and S1 of random patches) running until stopped; resolves to the calls answered. */
function keepDecoding(client: SocketClient, ds: DatasetInfo, ids: string[], inFlight: number): { stop(): Promise<number> } {
  let running = true;
  let answered = 0;
  const rng = new Rng(3);
  const lane = async () => {
    while (running) {
      await client.call('patch.bands', { dataset: ds.id, id: ids[rng.int(ids.length)], sensor: rng.int(2) === 0 ? 's2' : 's1' });
      answered++;
    }
  };
  const lanes = Array.from({ length: inFlight }, lane);
  return {
    async stop() {
      running = false;
      await Promise.all(lanes);
      return answered;
    },
  };
}

export async function benchServiceLatency(opts: { queries: number; rows: number }): Promise<Latency[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'sen12ms-latency-'));
  process.env.SEN12MS_STUDIO_CACHE = path.join(work, 'cache');
  // The big catalog: rows written where the service looks for a folder's catalog, and the folder
  // registered as a data set opened in an earlier session. (datasets.open would re-index the
  // empty folder and drop the rows.)
  const bigDir = path.join(work, 'sen12ms-180k');
  mkdirSync(bigDir);
  const bigCatalog = defaultCatalogPath(bigDir);
  mkdirSync(path.dirname(bigCatalog), { recursive: true });
  writeSyntheticCatalog(bigCatalog, bigDir, opts.rows);
  const dataDir = path.join(work, 'data');
  mkdirSync(dataDir);
  const appDb = openAppDb(path.join(dataDir, 'app.sqlite'));
  setSetting(appDb, 'datasets', [bigDir]);
  appDb.close();

  const service = await createStudioService({ dataDir, mode: 'server', createJobProcess: forkJobProcess });
  const server = await startServer(service, { rendererDir: path.join(work, 'no-renderer') });
  let events: StudioEvent[] = [];
  // A program (not a page) may give the token as a query parameter.
  const socketUrl = new URL(`/api/ws?token=${server.token}`, server.url.replace(/^http/, 'ws'));
  const client = await SocketClient.open(socketUrl.href, (e) => events.push(e));
  try {
    const sample = await client.call<DatasetInfo>('datasets.openSample', {});
    const big = (await client.call<DatasetInfo[]>('datasets.list', {})).find((d) => d.dir === bigDir)!;
    process.stderr.write(`catalogs: sample ${sample.patches} patches, synthetic ${big.patches} rows\n`);

    const results: Latency[] = [];
    for (const ds of [sample, big]) results.push(await measure(client, ds, 'idle', opts.queries, 1));

    // Four patch.bands calls in flight all the time: their decoding must not hold up the queries.
    const ids = (await client.call<QueryPage<PatchSummary>>('catalog.query', { dataset: sample.id, query: { page: { offset: 0, limit: 1000 } } })).patches.map((p) => p.id);
    const decoding = keepDecoding(client, sample, ids, 4);
    results.push(await measure(client, sample, 'decoding', opts.queries, 3));
    process.stderr.write(`patch.bands answered ${await decoding.stop()} calls during the measurement\n`);

    events = [];
    const job = await client.call<{ id: string }>('jobs.start', {
      dataset: sample.id,
      kind: 'pretrain',
      options: { depth: 18, size: 64, batchSize: 32, epochs: 100, backend: 'wasm' },
    });
    // measure once the worker is past start-up and training (its first progress report)
    while (!events.some((e) => e.type === 'job.progress' && e.id === job.id)) await new Promise((r) => setTimeout(r, 100));
    for (const ds of [sample, big]) results.push(await measure(client, ds, 'training', opts.queries, 2));
    const running = events.filter((e) => e.type === 'job.progress' && e.id === job.id).length;
    process.stderr.write(`training job sent ${running} progress events during the measurement\n`);
    await client.call('jobs.cancel', { id: job.id });
    return results;
  } finally {
    client.close();
    await server.close();
    await service.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function table(rows: Latency[]): string {
  const ms = (v: number) => v.toFixed(1);
  return [
    '| catalog | phase | queries | patches per reply | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.catalog} | ${r.phase} | ${r.queries} | ${r.patchesPerQuery.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseCommandLine(process.argv.slice(2), { queries: { type: 'string' }, rows: { type: 'string' } });
  const rows = await benchServiceLatency({ queries: intOption(values.queries, 'queries', 400), rows: intOption(values.rows, 'rows', 180_000) });
  process.stdout.write(`## Catalog query latency over WebSocket, idle vs while a job trains\n\n${table(rows)}\n\n`);
  for (const decoding of rows.filter((r) => r.phase === 'decoding')) {
    const idle = rows.find((r) => r.catalog === decoding.catalog && r.phase === 'idle')!;
    process.stdout.write(`${decoding.catalog}: p99 while patch.bands decodes ${decoding.p99.toFixed(1)} ms, ${(decoding.p99 / idle.p99).toFixed(2)}x the idle p99\n`);
  }
  for (const catalog of new Set(rows.map((r) => r.catalog))) {
    const idle = rows.find((r) => r.catalog === catalog && r.phase === 'idle')!;
    const busy = rows.find((r) => r.catalog === catalog && r.phase === 'training')!;
    process.stdout.write(
      `${catalog}: p99 while training ${busy.p99.toFixed(1)} ms (target < ${TARGET_P99_MS} ms: ${busy.p99 < TARGET_P99_MS ? 'met' : 'NOT met'}), ${(busy.p99 / idle.p99).toFixed(2)}x the idle p99\n`,
    );
  }
}

await main();
