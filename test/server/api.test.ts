import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHttp, openSocket, raw, type TestSocket } from './client.js';
import { startFixture, type ServerFixture } from './fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startFixture({ maxBodyBytes: 4096, heartbeatMs: 100 });
});
afterAll(() => fx.stop());

const wsUrl = () => `ws://127.0.0.1:${fx.port}/api/ws?token=${fx.token}`;

describe('POST /api/<method>', () => {
  it('answers {"result"} and maps each refusal to its status with {"error": {code, message}}', async () => {
    const ok = await callHttp(fx.port, fx.token, 'app.info');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(ok.json()).toEqual({ result: { apiVersion: 1, version: 'fake', mode: 'server', dataDir: '/fake' } });

    const unknown = await callHttp(fx.port, fx.token, 'app.nope');
    expect([unknown.status, unknown.json().error.code]).toEqual([404, 'unknown-method']);
    const invalid = await callHttp(fx.port, fx.token, 'patch.get', { dataset: 'd', id: 3 });
    expect([invalid.status, invalid.json().error.code]).toEqual([400, 'invalid-params']);
    expect(invalid.json().error.message).toContain('params.id');
    const missing = await callHttp(fx.port, fx.token, 'patch.get', { dataset: 'd', id: 'x' });
    expect([missing.status, missing.json().error.code]).toEqual([404, 'not-found']);
    const crash = await callHttp(fx.port, fx.token, 'settings.get');
    expect(crash.status).toBe(500);
    expect(crash.json().error).toEqual({ code: 'internal', message: 'the fake failed' });
  });

  it('refuses malformed bodies with 400 bad-message, and wrong verbs with 405', async () => {
    const post = (body: string) => raw(fx.port, { method: 'POST', path: '/api/app.info', headers: { authorization: `Token ${fx.token}` }, body });
    for (const body of ['{"params":', '[1]', 'null', '"x"', '{"params":{},"extra":1}']) {
      const r = await post(body);
      expect(r.status, body).toBe(400);
      expect(r.json().error.code, body).toBe('bad-message');
    }
    // An empty body and a body without params both mean "no params".
    expect((await post('')).status).toBe(200);
    expect((await post('{}')).status).toBe(200);
    const get = await raw(fx.port, { path: '/api/app.info', headers: { authorization: `Token ${fx.token}` } });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const put = await raw(fx.port, { method: 'PUT', path: '/files/x/y.tif', headers: { authorization: `Token ${fx.token}` } });
    expect(put.status).toBe(405);
    expect((await callHttp(fx.port, fx.token, 'app.info')).status).toBe(200);
  });
});

describe('the WebSocket /api/ws', () => {
  let s: TestSocket;
  beforeAll(async () => {
    s = await openSocket(wsUrl());
  });
  afterAll(() => s.ws.close());

  it('answers calls by id, errors with the code, and stays open after each bad message', async () => {
    expect(await s.call(1, 'app.info')).toMatchObject({ type: 'result', id: 1, result: { mode: 'server' } });
    expect(await s.call(2, 'app.nope')).toMatchObject({ type: 'error', id: 2, error: { code: 'unknown-method' } });
    expect(await s.call(3, 'patch.get', { dataset: 'd' })).toMatchObject({ type: 'error', id: 3, error: { code: 'invalid-params' } });

    const bad: [string | Buffer, number | null][] = [
      ['not json', null],
      ['{"type":"call","id":4}', 4],
      ['{"type":"call","id":-1,"method":"app.info"}', null],
      ['{"type":"result","id":5,"method":"app.info"}', 5],
      [Buffer.from([1, 2, 3]), null],
    ];
    let id = 10;
    for (const [msg, echoed] of bad) {
      s.ws.send(msg);
      const reply = await s.next((m) => m.type === 'error');
      expect(reply, String(msg)).toMatchObject({ type: 'error', id: echoed, error: { code: 'bad-message' } });
      expect(await s.call(id, 'app.info'), String(msg)).toMatchObject({ type: 'result', id });
      id++;
    }
  });

  it('does not hold a fast call behind a slow one', async () => {
    s.ws.send(JSON.stringify({ type: 'call', id: 20, method: 'jobs.log', params: { id: 'j1' } }));
    expect(await s.call(21, 'app.info')).toMatchObject({ type: 'result', id: 21 });
    fx.host.releaseSlow();
    expect(await s.next((m) => m.type === 'result' && m.id === 20)).toEqual({ type: 'result', id: 20, result: { lines: ['log of j1'] } });
  });

  it('pushes events to every open socket', async () => {
    const others = [await openSocket(wsUrl()), await openSocket(wsUrl())];
    const event = { type: 'dataset.index' as const, dataset: 'd', done: 3, total: 7 };
    fx.host.emit(event);
    for (const socket of [s, ...others]) expect(await socket.next((m) => m.type === 'event')).toEqual({ type: 'event', event });
    for (const o of others) o.ws.close();
  });

  it('closes a socket whose message is over the limit (1009), and the server keeps serving', async () => {
    const big = await openSocket(wsUrl());
    big.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', params: { pad: 'x'.repeat(5000) } }));
    expect((await big.closed).code).toBe(1009);
    expect(await s.call(30, 'app.info')).toMatchObject({ type: 'result', id: 30 });
  });

  it('drops a socket that stops answering pings', async () => {
    const quiet = await openSocket(wsUrl(), {}, false);
    const answered = await openSocket(wsUrl());
    expect((await quiet.closed).code).toBe(1006);
    expect(await answered.call(1, 'app.info')).toMatchObject({ type: 'result', id: 1 });
    answered.ws.close();
  });

  it('refuses upgrades on other paths, and plain GETs of /api/ws', async () => {
    await expect(openSocket(`ws://127.0.0.1:${fx.port}/api/other?token=${fx.token}`)).rejects.toMatchObject({ status: 404 });
    const get = await raw(fx.port, { path: `/api/ws?token=${fx.token}` });
    expect([get.status, get.json().error.code]).toEqual([400, 'bad-message']);
  });
});

describe('closing the server', () => {
  it('says goodbye to open sockets (1001) and stops listening', async () => {
    const own = await startFixture();
    const s = await openSocket(`ws://127.0.0.1:${own.port}/api/ws?token=${own.token}`);
    await own.stop();
    expect((await s.closed).code).toBe(1001);
    await expect(raw(own.port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
