/**
 * Property-based fuzz of every API method over HTTP against the real service on a small
 * synthetic data set (issue 12): for each method of METHOD_SCHEMAS, random JSON params and params
 * shaped by the method's schema (known ids mixed with junk, huge and unsafe numbers, long
 * strings, Object.prototype's names as keys, deep nesting). No answer may be a 5xx other than
 * 'storage', every call must answer within its timeout, and the server must answer afterwards.
 * The counts are printed (and recorded in docs/security.md).
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_SCHEMAS } from '../../core/common/api/method-schemas.js';
import type { DatasetInfo, Method } from '../../core/common/api/contract.js';
import { CHANGE_SCHEMAS } from '../../core/common/annotations/annotation-changes.js';
import { CATALOG_QUERY_SCHEMA } from '../../core/common/catalog/query-spec.js';
import { JOB_SPEC_SCHEMA } from '../../core/common/jobs/job-spec.js';
import type { JsonSchema } from '../../core/common/util/json-schema.js';
import type { RunningServer } from '../../core/server/server.js';
import type { StudioService } from '../../core/service/service.js';
import { syntheticDataset, tempDir } from '../catalog/fixture.js';
import { startRealService } from './fixture.js';

const CALL_TIMEOUT_MS = 5000;
const RUNS_PER_METHOD = Number(process.env.FUZZ_RUNS ?? 40);

let root: string;
let datasetDir: string;
let service: StudioService;
let server: RunningServer;
let dataset: DatasetInfo;
let patchIds: string[] = [];

async function call(method: string, body: string): Promise<{ status: number; code?: string; message?: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { authorization: `Token ${server.token}`, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const json = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: json.error?.code, message: json.error?.message };
}

beforeAll(async () => {
  root = tempDir('server-fuzz');
  datasetDir = await syntheticDataset(root, 1, 3);
  ({ service, server } = await startRealService(root));
  const opened = await fetch(`http://127.0.0.1:${server.port}/api/datasets.open`, {
    method: 'POST',
    headers: { authorization: `Token ${server.token}` },
    body: JSON.stringify({ params: { dir: datasetDir } }),
  });
  dataset = ((await opened.json()) as { result: DatasetInfo }).result;
  const page = await fetch(`http://127.0.0.1:${server.port}/api/catalog.query`, {
    method: 'POST',
    headers: { authorization: `Token ${server.token}` },
    body: JSON.stringify({ params: { dataset: dataset.id, query: {} } }),
  });
  // The embedded sample is generated on first use (seconds): once here, not under a call timeout.
  await fetch(`http://127.0.0.1:${server.port}/api/datasets.openSample`, { method: 'POST', headers: { authorization: `Token ${server.token}` }, body: '{}' });
  patchIds = ((await page.json()) as { result: { patches: { id: string }[] } }).result.patches.map((p) => p.id);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

const NASTY_KEYS = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty'];

/** Strings a field might plausibly get: the real ids, near misses, junk, very long text. */
function stringArb(s: { enum?: readonly string[]; maxLength?: number }): fc.Arbitrary<string> {
  const known = [dataset.id, ...patchIds, 'job-20260101-000000-abcd', datasetDir, '', '..', '/nonexistent/dir', '../../etc/passwd'];
  return fc.oneof(
    ...(s.enum ? [fc.constantFrom(...s.enum)] : []),
    fc.constantFrom(...known),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.nat({ max: 3 }).map((k) => 'x'.repeat([1_000, 10_001, 100_000, 600_000][k])),
  );
}

const numberArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 2 ** 63, -(2 ** 63), Number.MAX_VALUE, 1e308, 0.5),
);

/** Values shaped by the schema: mostly valid, sometimes off by a little. */
function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.jsonValue({ maxDepth: 2 });
  if (depth > 6) return junk;
  if ('anyOf' in schema) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, depth + 1)));
  if ('const' in schema) return fc.oneof({ weight: 5, arbitrary: fc.constant(schema.const) }, { weight: 1, arbitrary: junk });
  if (!('type' in schema)) return junk;
  let arb: fc.Arbitrary<unknown>;
  switch (schema.type) {
    case 'string':
      arb = stringArb(schema);
      break;
    case 'integer':
    case 'number':
      arb = numberArb;
      break;
    case 'boolean':
      arb = fc.boolean();
      break;
    case 'null':
      arb = fc.constant(null);
      break;
    case 'array':
      arb = fc.array(fromSchema(schema.items, depth + 1), { maxLength: 6 });
      break;
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const shaped = fc.record(Object.fromEntries(props.map(([k, s]) => [k, fromSchema(nestedSchema(k, s), depth + 1)])), { requiredKeys: [] });
      const extra = fc.dictionary(fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 8 })), junk, { maxKeys: 2 });
      arb = fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: fc.tuple(shaped, extra).map(([a, b]) => withKeys(a, b)) });
      break;
    }
  }
  return fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: junk });
}

/** Own keys set as data, `__proto__` included (a spread would turn it into a prototype). */
function withKeys(a: object, b: Record<string, unknown>): object {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
  return out;
}

/** The nested documents that METHOD_SCHEMAS only require to be objects, by their own schemas. */
function nestedSchema(key: string, s: JsonSchema): JsonSchema {
  if (key === 'query') return CATALOG_QUERY_SCHEMA as JsonSchema;
  if (key === 'change') return { anyOf: Object.values(CHANGE_SCHEMAS) };
  if (key === 'options' && 'anyOf' in JOB_SPEC_SCHEMA) {
    return { anyOf: JOB_SPEC_SCHEMA.anyOf.map((k) => ((k as { properties?: Record<string, JsonSchema> }).properties?.options ?? {}) as JsonSchema) };
  }
  return s;
}

/** Bodies no schema describes: deep nesting, not JSON, wrong envelopes. */
const oddBodies = fc.oneof(
  fc.nat({ max: 100_000 }).map((n) => `{"params":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.nat({ max: 100_000 }).map((n) => `{"params":{"a":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{"params":{"__proto__":{"polluted":1}}}', '{"__proto__":{}}', '{"params":null}', ''),
);

describe('the API under fuzzing (issue 12)', () => {
  it(
    'answers every method with no 5xx but storage, within its timeout, and keeps serving',
    async () => {
      const methods = Object.keys(METHOD_SCHEMAS) as Method[];
      const statuses = new Map<string, number>();
      const failures: string[] = [];
      let calls = 0;
      const record = (method: string, body: string, r: { status: number; code?: string; message?: string }) => {
        calls++;
        const key = `${r.status}${r.code ? ` ${r.code}` : ''}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (r.status >= 500 && r.code !== 'storage') failures.push(`${method} ${body.slice(0, 200)} -> ${r.status} ${r.code}: ${r.message}`);
      };
      const started = Date.now();
      for (const method of methods) {
        const params = fc.oneof(
          { weight: 3, arbitrary: fromSchema(METHOD_SCHEMAS[method]) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        );
        await fc.assert(
          fc.asyncProperty(params, async (p) => {
            const body = JSON.stringify({ params: p });
            record(method, body, await call(method, body));
          }),
          { numRuns: RUNS_PER_METHOD, seed: 12 },
        );
        await fc.assert(
          fc.asyncProperty(oddBodies, async (body) => record(method, body, await call(method, body))),
          { numRuns: 5, seed: 12 },
        );
      }
      const info = await call('app.info', '{}');
      const summary = { calls, methods: methods.length, seconds: (Date.now() - started) / 1000, statuses: Object.fromEntries([...statuses].sort()) };
      console.log(`api fuzz: ${JSON.stringify(summary)}`);
      expect(failures).toEqual([]);
      expect(info.status).toBe(200);
    },
    120_000,
  );
});

describe('refusals the audit found (issue 12)', () => {
  it('answers unknown ids with 404 not-found and unbounded input with 400', async () => {
    const unknownJob = JSON.stringify({ params: { id: 'job-20260101-000000-abcd' } });
    for (const method of ['jobs.cancel', 'jobs.resume', 'jobs.log']) {
      expect(await call(method, unknownJob), method).toMatchObject({ status: 404, code: 'not-found' });
    }
    for (const method of ['results.get', 'results.predictions']) {
      expect(await call(method, JSON.stringify({ params: { job: 'job-20260101-000000-abcd' } })), method).toMatchObject({ status: 404, code: 'not-found' });
    }
    expect(await call('catalog.query', JSON.stringify({ params: { dataset: 'nope', query: {} } }))).toMatchObject({ status: 404, code: 'not-found' });
    const offset = await call('catalog.query', JSON.stringify({ params: { dataset: dataset.id, query: { page: { offset: 2 ** 63, limit: 10 } } } }));
    expect(offset).toMatchObject({ status: 400, code: 'invalid-params' });
    expect(offset.message).toMatch(/query\.page\.offset: must be <= 100000000/);
    const note = { kind: 'patch', patch: patchIds[0], set: { note: 'n'.repeat(200_000) } };
    const long = await call('annotations.apply', JSON.stringify({ params: { dataset: dataset.id, change: note } }));
    expect(long).toMatchObject({ status: 400, code: 'invalid-params' });
    expect(long.message).toMatch(/set\.note: must not be longer than 10000 characters/);
    const proto = await call('app.info', '{"params":{"constructor":{},"toString":1,"__proto__":{"x":1}}}');
    expect(proto).toMatchObject({ status: 400, code: 'invalid-params' });
    expect(proto.message).toMatch(/params\.constructor: is not an accepted field name/);
    expect(proto.message).toMatch(/params\.toString: is not a known field/);
    const deep = await call('app.info', `{"params":${'['.repeat(500_000)}${']'.repeat(500_000)}}`);
    expect(deep).toMatchObject({ status: 400, code: 'bad-message', message: 'request body is nested deeper than 64 levels' });
  });
});
