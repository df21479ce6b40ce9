/**
 * The renderer's WebSocket client against the real server-mode transport and the real service
 * (no fakes) on a small synthetic data set: the calls the map makes, an annotation and the event
 * it pushes, and a wrong token refused.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../../../core/server/server.js';
import type { StudioEvent } from '../../../core/common/api/contract.js';
import type { StudioService } from '../../../core/service/service.js';
import { loadSummaries } from '../../../renderer/src/lib/map/load-summaries.js';
import { WsApiClient } from '../../../renderer/src/lib/api/ws-client.js';
import { s2Patches, syntheticDataset, tempDir } from '../../catalog/fixture.js';
import { startRealService } from '../../server/fixture.js';

let root: string;
let datasetDir: string;
let service: StudioService;
let server: RunningServer;
const clients: WsApiClient[] = [];

beforeAll(async () => {
  root = tempDir('renderer-ws-real');
  datasetDir = await syntheticDataset(root, 2, 3);
  ({ service, server } = await startRealService(root));
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

function client(token: string): WsApiClient {
  const c = new WsApiClient(`ws://127.0.0.1:${server.port}/api/ws?token=${token}`, { WebSocket, retryDelay: () => 50 });
  clients.push(c);
  return c;
}

describe('WsApiClient over the real server and service', () => {
  it('opens a data set, loads every patch summary and pushes the event of an annotation', async () => {
    const c = client(server.token);
    const info = await c.call('datasets.open', { dir: datasetDir });
    const expected = s2Patches(datasetDir).length;
    expect(info.triplets).toBe(expected);

    const ids: string[] = [];
    const done = await loadSummaries(c, { dataset: info.id, query: {} }, (page) => ids.push(...page.map((p) => p.id)));
    expect(done).toBe(true);
    expect(ids.length).toBe(expected);
    expect(new Set(ids).size).toBe(expected);

    const events: StudioEvent[] = [];
    c.onEvent((e) => events.push(e));
    await c.call('annotations.apply', { dataset: info.id, change: { kind: 'patch', patch: ids[0], set: { label: 10, noisy: true } } });
    const view = await c.call('patch.get', { dataset: info.id, id: ids[0] });
    expect(view.annotation).toMatchObject({ label: 10, noisy: true });
    await expect.poll(() => events.some((e) => e.type === 'annotations.changed' && e.dataset === info.id)).toBe(true);
  });

  it('reports a refused call with the service code', async () => {
    const c = client(server.token);
    await expect(c.call('patch.get', { dataset: 'no-such-dataset', id: 'ROIs1158_spring_1_p1' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('cannot open a socket with a wrong token', async () => {
    const c = client('0'.repeat(64));
    await expect(c.whenOpen()).rejects.toMatchObject({ code: 'disconnected' });
    c.close();
  });
});
