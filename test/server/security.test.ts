import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_PROTOCOL, socketProtocols } from '../../core/common/api/wire.js';
import { callHttp, openSocket, raw } from './client.js';
import { FAKE_DATASET, SECRET, startFixture, type ServerFixture } from './fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startFixture({ maxBodyBytes: 4096 });
});
afterAll(() => fx.stop());

async function expectStillServing(): Promise<void> {
  const r = await callHttp(fx.port, fx.token, 'app.info');
  expect(r.status).toBe(200);
  expect(r.json().result.mode).toBe('server');
}

const TIF = `/files/${FAKE_DATASET}/ROIs1158_spring/s2_1/ROIs1158_spring_s2_1_p30.tif`;

describe('the token', () => {
  it('is 32 random bytes in hex, printed in the fragment of a loopback URL (never sent over the network)', () => {
    expect(fx.token).toMatch(/^[0-9a-f]{64}$/);
    expect(fx.server.url).toBe(`http://127.0.0.1:${fx.port}/#token=${fx.token}`);
  });

  it("answers a browser's tokenless navigation with a short page saying how to get the URL: still 401, nothing of the app", async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (const path of [TIF, '/api/app.info']) {
      const r = await raw(fx.port, { path, headers: { accept } });
      expect(r.status, path).toBe(401);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.text).toMatch(/#token=/);
      expect(r.text).toMatch(/--token-file/);
      expect(r.text).not.toMatch(/<script|<link|src=/i);
    }
    // a script's fetch (no HTML in Accept) still gets the JSON refusal
    const r = await raw(fx.port, { path: TIF, headers: { accept: 'application/json' } });
    expect(r.json()).toEqual({ error: { code: 'unauthorized', message: 'missing or wrong token' } });
  });

  it('refuses API calls, files and sockets without one: 401 and no details; the renderer build needs none', async () => {
    for (const [method, path] of [['POST', '/api/app.info'], ['GET', TIF], ['POST', '/api/nope']]) {
      const r = await raw(fx.port, { method, path, body: method === 'POST' ? '{"params":{}}' : undefined });
      expect(r.status, path).toBe(401);
      expect(r.json()).toEqual({ error: { code: 'unauthorized', message: 'missing or wrong token' } });
      expect(r.headers['set-cookie']).toBeUndefined();
      await expectStillServing();
    }
    for (const path of ['/', '/assets/app.js']) {
      const r = await raw(fx.port, { path });
      expect(r.status, path).toBe(200);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses a wrong token in the query, the header or the subprotocol, and ignores cookies', async () => {
    const wrong = fx.token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const attempts: { path: string; headers?: Record<string, string> }[] = [
      { path: `/api/app.info?token=${wrong}` },
      { path: '/api/app.info', headers: { authorization: `Token ${wrong}` } },
      { path: '/api/app.info', headers: { cookie: `studio_token=${fx.token}` } },
      { path: '/api/app.info', headers: { authorization: `Bearer ${fx.token}` } },
      { path: `/api/app.info?token=${fx.token.slice(0, 63)}` },
    ];
    for (const opts of attempts) {
      expect((await raw(fx.port, { method: 'POST', body: '{}', ...opts })).status, JSON.stringify(opts)).toBe(401);
    }
    await expectStillServing();
  });

  it('never sets a cookie, whichever way the token came', async () => {
    for (const path of [`/?token=${fx.token}`, `/api/app.info?token=${fx.token}`]) {
      const r = await raw(fx.port, { method: path.startsWith('/api') ? 'POST' : 'GET', path, body: path.startsWith('/api') ? '{}' : undefined });
      expect(r.status, path).toBe(200);
      expect(r.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('admits a socket with the token as a subprotocol (selecting only the app protocol) or in the query', async () => {
    const base = `ws://127.0.0.1:${fx.port}/api/ws`;
    await expect(openSocket(base)).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(`${base}?token=nope`)).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(base, { cookie: `studio_token=${fx.token}` })).rejects.toMatchObject({ status: 401 });
    await expect(openSocket(base, {}, true, socketProtocols('nope-nope-nope-nope'))).rejects.toMatchObject({ status: 401 });
    const viaProtocol = await openSocket(base, {}, true, socketProtocols(fx.token));
    expect(viaProtocol.ws.protocol).toBe(SOCKET_PROTOCOL);
    for (const s of [viaProtocol, await openSocket(`${base}?token=${fx.token}`)]) {
      expect(await s.call(1, 'app.info')).toMatchObject({ type: 'result', id: 1, result: { mode: 'server' } });
      s.ws.close();
    }
    await expectStillServing();
  });

  it('denies powerful browser features with Permissions-Policy on every response', async () => {
    for (const r of [await raw(fx.port, { path: '/' }), await callHttp(fx.port, fx.token, 'app.info'), await raw(fx.port, { method: 'POST', path: '/api/app.info' })]) {
      const policy = r.headers['permissions-policy'] as string;
      for (const feature of ['camera', 'microphone', 'geolocation', 'usb', 'payment']) expect(policy).toContain(`${feature}=()`);
    }
  });
});

describe('Host and Origin', () => {
  it('answers loopback names on any port and refuses other Host names (DNS rebinding), HTTP and socket', async () => {
    for (const host of ['localhost', `localhost:${fx.port}`, `127.0.0.1:${fx.port}`, '127.0.0.2', `[::1]:${fx.port}`, 'LOCALHOST:9999']) {
      const r = await raw(fx.port, { path: `/?token=${fx.token}`, headers: { host } });
      expect(r.status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${fx.port}`, '10.0.0.7', 'localhost.evil.example', 'a b', '127.0.0.1;x']) {
      const r = await raw(fx.port, { path: `/?token=${fx.token}`, headers: { host } });
      expect(r.status, host).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
    await expect(openSocket(`ws://127.0.0.1:${fx.port}/api/ws?token=${fx.token}`, { host: 'evil.example' })).rejects.toMatchObject({ status: 403 });
    await expectStillServing();
  });

  it('refuses cross-origin API calls and socket upgrades (another local port included)', async () => {
    for (const origin of [`http://127.0.0.1:${fx.port + 1}`, `https://127.0.0.1:${fx.port}`, `ws://127.0.0.1:${fx.port}`, `http://localhost:${fx.port}0`, 'http://evil.example', 'null']) {
      const r = await raw(fx.port, {
        method: 'POST',
        path: '/api/app.info',
        headers: { authorization: `Token ${fx.token}`, origin },
        body: '{}',
      });
      expect(r.status, origin).toBe(403);
      const socket = openSocket(`ws://127.0.0.1:${fx.port}/api/ws?token=${fx.token}`, { origin });
      await expect(socket, origin).rejects.toMatchObject({ status: 403 });
    }
    const same = await raw(fx.port, { method: 'POST', path: '/api/app.info', headers: { authorization: `Token ${fx.token}`, origin: `http://127.0.0.1:${fx.port}` }, body: '{}' });
    expect(same.status).toBe(200);
    const s = await openSocket(`ws://127.0.0.1:${fx.port}/api/ws?token=${fx.token}`, { origin: `http://127.0.0.1:${fx.port}` });
    s.ws.close();
  });
});

describe('file confinement', () => {
  const auth = () => ({ authorization: `Token ${fx.token}` });

  it('serves a data set file', async () => {
    const r = await raw(fx.port, { path: TIF, headers: auth() });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/tiff');
  });

  it.each([
    ['dot-dot', `/files/${FAKE_DATASET}/../../secret.txt`],
    ['dot-dot inside the data set path', `/files/${FAKE_DATASET}/ROIs1158_spring/../../secret.txt`],
    ['encoded dot-dot', `/files/${FAKE_DATASET}/%2e%2e/%2E%2E/secret.txt`],
    ['encoded slash', `/files/${FAKE_DATASET}/..%2f..%2fsecret.txt`],
    ['encoded backslash', `/files/${FAKE_DATASET}/..%5c..%5csecret.txt`],
    ['absolute (empty segment)', `/files/${FAKE_DATASET}//etc/passwd`],
    ['absolute (encoded)', `/files/${FAKE_DATASET}/%2Fetc%2Fpasswd`],
    ['NUL byte', `/files/${FAKE_DATASET}/escape.tif%00.tif`],
    ['symlink out of the data set', `/files/${FAKE_DATASET}/escape.tif`],
    ['dataset id as dot-dot', '/files/../secret.txt'],
    ['unknown data set', '/files/nope/ROIs1158_spring/s2_1/ROIs1158_spring_s2_1_p30.tif'],
    ['renderer dot-dot', '/../secret.txt'],
    ['renderer encoded dot-dot', '/%2e%2e/secret.txt'],
    ['renderer symlink out', '/leak.txt'],
  ])('refuses %s with 403/404 and keeps serving', async (_name, path) => {
    const r = await raw(fx.port, { path, headers: auth() });
    expect([403, 404]).toContain(r.status);
    expect(r.text).not.toContain(SECRET);
    expect(['forbidden', 'not-found']).toContain(r.json().error.code);
    await expectStillServing();
  });

  it('refuses bad percent-encoding with 400', async () => {
    const r = await raw(fx.port, { path: '/files/x/%E0%A4%A', headers: auth() });
    expect(r.status).toBe(400);
    expect(r.json().error.code).toBe('bad-message');
  });
});

describe('request bodies', () => {
  it('refuses a body over the limit with 413, declared or streamed, and keeps serving', async () => {
    const big = JSON.stringify({ params: { pad: 'x'.repeat(5000) } });
    const declared = await raw(fx.port, { method: 'POST', path: '/api/app.info', headers: { authorization: `Token ${fx.token}` }, body: big });
    expect(declared.status).toBe(413);
    expect(declared.json().error).toEqual({ code: 'too-large', message: 'request body is larger than 4096 bytes' });
    await expectStillServing();
    const streamed = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: fx.port, method: 'POST', path: '/api/app.info', headers: { authorization: `Token ${fx.token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        // No Content-Length: chunked, so the limit is found while reading.
        for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
        req.end();
      }, reject);
    });
    expect(streamed).toBe(413);
    await expectStillServing();
  });

  it('gives fetch clients the 413 too', async () => {
    const r = await fetch(`http://127.0.0.1:${fx.port}/api/app.info`, {
      method: 'POST',
      headers: { authorization: `Token ${fx.token}` },
      body: 'y'.repeat(100_000),
    });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('too-large');
    await expectStillServing();
  });
});
