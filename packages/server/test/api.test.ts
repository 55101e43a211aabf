import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warmshower, type Store } from '@warmshower/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';
import { addressFromHeader, client, manualApp } from './helpers.js';

const inProcess = (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }) =>
  client('', (path, init) => app.request(path, init));

/** A session with two participants, in-process. */
async function party(options: Parameters<typeof manualApp>[0] = {}) {
  const { app, clock } = manualApp(options);
  const api = inProcess(app);
  const session = await api.session();
  const ada = await api.join(session.code, 'Ada');
  const bo = await api.join(session.code, 'Bo');
  return { app, api, clock, session, ada, bo };
}

const errorShape = { error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) } };

describe('the HTTP API answers every case of SPEC §2 with its status', () => {
  it('creating a session gives 201, a six-digit code, a host token and a cookie only the events URL gets', async () => {
    const { app } = manualApp();
    const res = await app.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ttlSeconds: 600 }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), hostToken: expect.any(String), ttlSeconds: 600 });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain(`ws_host=${body.hostToken}`);
    expect(cookie).toContain(`Path=/api/sessions/${body.code}/events`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toContain('Max-Age=600');
    expect(cookie).not.toMatch(/Secure/);
  });

  it('a session created without a body lasts the default lifetime', async () => {
    const { app } = manualApp();
    const res = await app.request('/api/sessions', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).ttlSeconds).toBe(3600);
  });

  it('over https the stream cookie is Secure', async () => {
    const { app } = manualApp();
    const res = await app.request('https://example.org/api/sessions', { method: 'POST' });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('anyone sees a summary; the host also sees progress', async () => {
    const { api, session, ada, bo } = await party();
    await api.send(session.code, ada.token, bo.id, 'Thank you for the reviews');
    const open = await api.call('GET', `/api/sessions/${session.code}`);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ code: session.code, expiresAt: session.expiresAt, participantCount: 2, delivery: 'live', revealed: false, encryption: 'none' });
    const host = await api.call('GET', `/api/sessions/${session.code}`, { token: session.hostToken });
    expect(host.body.progress).toEqual({ sent: 1, possible: 2 });
  });

  it('joining gives 201 and a participant cookie scoped to the events URL', async () => {
    const { app } = manualApp();
    const { code } = await inProcess(app).session();
    const res = await app.request(`/api/sessions/${code}/participants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: '  Grace  ' }),
    });
    expect(res.status).toBe(201);
    const joined = (await res.json()) as any;
    expect(joined.displayName).toBe('Grace');
    expect(res.headers.get('set-cookie')).toContain(`ws_participant=${joined.token}; Max-Age=3600; Path=/api/sessions/${code}/events`);
  });

  it('members and the host list participants; a member also sees their own progress', async () => {
    const { api, session, ada, bo } = await party();
    await api.send(session.code, ada.token, bo.id, 'Great pairing');
    const mine = await api.call('GET', `/api/sessions/${session.code}/participants`, { token: ada.token });
    expect(mine.status).toBe(200);
    expect(mine.body.participants.map((p: { displayName: string }) => p.displayName)).toEqual(['Ada', 'Bo']);
    expect(mine.body.me).toEqual({ id: ada.id, sentTo: [bo.id], complete: true });
    const host = await api.call('GET', `/api/sessions/${session.code}/participants`, { token: session.hostToken });
    expect(host.status).toBe(200);
    expect(host.body.me).toBeUndefined();
  });

  it('a warm shower gives 201 with counts, and the sender comes from the token, not the body', async () => {
    const { api, session, ada, bo } = await party();
    const res = await api.call('POST', `/api/sessions/${session.code}/messages`, {
      token: ada.token,
      body: { to: bo.id, text: 'You explain things so clearly', from: bo.id },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), to: bo.id, sentCount: 1, remaining: 0, complete: true });
    const again = await api.send(session.code, bo.token, ada.id, 'Thanks for the help');
    expect(again.status).toBe(201); // Bo had not sent yet: the `from` above was ignored
  });

  it('the host ends a session with 204, and then it is gone (404)', async () => {
    const { api, session, ada } = await party();
    const res = await api.end(session.code, session.hostToken);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const after = await api.call('GET', `/api/sessions/${session.code}/participants`, { token: ada.token });
    expect(after.status).toBe(404);
    expect(after.body.error.code).toBe('SESSION_NOT_FOUND');
  });

  it.each([
    ['bad JSON', '{"ttlSeconds": ', 'INVALID_INPUT'],
    ['a body that is not an object', '[1,2]', 'INVALID_INPUT'],
    ['a TTL that is not an integer', '{"ttlSeconds": 12.5}', 'INVALID_INPUT'],
    ['a TTL below 10 seconds', '{"ttlSeconds": 9}', 'INVALID_INPUT'],
    ['a TTL above a day', '{"ttlSeconds": 86401}', 'INVALID_INPUT'],
    ['a TTL as a string', '{"ttlSeconds": "60"}', 'INVALID_INPUT'],
  ])('creating with %s is a 400', async (_, raw, code) => {
    const { app } = manualApp();
    const res = await app.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    expect(res.status).toBe(400);
    expect((await res.json()) as any).toEqual({ error: { code, message: expect.any(String) } });
  });

  it.each([
    ['empty text', { text: '   ' }, 400, 'INVALID_INPUT'],
    ['text over 1000 characters', { text: '😀'.repeat(1001) }, 400, 'INVALID_INPUT'],
    ['text of the wrong type', { text: 42 }, 400, 'INVALID_INPUT'],
    ['no recipient', { to: undefined }, 400, 'INVALID_INPUT'],
    ['a message to oneself', { to: 'self' }, 400, 'SELF_MESSAGE'],
    ['an unknown recipient', { to: 'nobody-here' }, 404, 'RECIPIENT_NOT_FOUND'],
  ])('sending %s is refused', async (_, change, status, code) => {
    const { api, session, ada, bo } = await party();
    const body = { to: bo.id, text: 'Kind words', ...change } as Record<string, unknown>;
    if (body.to === 'self') body.to = ada.id;
    const res = await api.call('POST', `/api/sessions/${session.code}/messages`, { token: ada.token, body });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('a message body that is not JSON is a 400, after the credentials check', async () => {
    const { app, session, ada } = await party();
    const url = `/api/sessions/${session.code}/messages`;
    const bad = await app.request(url, { method: 'POST', headers: { authorization: `Bearer ${ada.token}`, 'content-type': 'application/json' }, body: '{to:' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('INVALID_INPUT');
    const anonymous = await app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{to:' });
    expect(anonymous.status).toBe(401);
    const nowhere = await app.request('/api/sessions/000000/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{to:' });
    expect(nowhere.status === 404 || nowhere.status === 429).toBe(true);
  });

  it('a second warm shower to the same person is a 409', async () => {
    const { api, session, ada, bo } = await party();
    expect((await api.send(session.code, ada.token, bo.id, 'First')).status).toBe(201);
    const second = await api.send(session.code, ada.token, bo.id, 'Second');
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_SENT');
  });

  it('a display name already taken (in any case) is a 409', async () => {
    const { api, session } = await party();
    const res = await api.call('POST', `/api/sessions/${session.code}/participants`, { body: { displayName: 'ADA' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NAME_TAKEN');
  });

  it('missing or foreign tokens are a 401', async () => {
    const { api, session, bo } = await party();
    const other = await api.session();
    const none = await api.call('GET', `/api/sessions/${session.code}/participants`);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    const foreign = await api.call('POST', `/api/sessions/${session.code}/messages`, {
      token: other.hostToken,
      body: { to: bo.id, text: 'hi' },
    });
    expect(foreign.status).toBe(401);
    const notBearer = await api.call('DELETE', `/api/sessions/${session.code}`);
    expect(notBearer.status).toBe(401);
  });

  it('a participant ending the session and the host sending are a 403', async () => {
    const { api, session, ada, bo } = await party();
    const end = await api.end(session.code, ada.token);
    expect(end.status).toBe(403);
    expect(end.body.error.code).toBe('FORBIDDEN');
    const hostSends = await api.send(session.code, session.hostToken, bo.id, 'From the host');
    expect(hostSends.status).toBe(403);
  });

  it('unknown codes, malformed codes and unknown routes are a JSON 404', async () => {
    const api = inProcess(manualApp().app);
    for (const path of ['/api/sessions/123456', '/api/sessions/12ab', '/api/sessions/1234567/participants']) {
      const res = await api.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
    }
    for (const [method, path] of [['GET', '/api/nothing'], ['PUT', '/api/sessions'], ['GET', '/elsewhere']] as const) {
      const res = await api.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
  });

  it('a body over 16 KiB is a 413, with or without a Content-Length', async () => {
    const { app, session, ada, bo } = await party();
    const text = 'x'.repeat(17 * 1024);
    const sized = await app.request(`/api/sessions/${session.code}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.token}`, 'content-length': String(text.length + 30), 'content-type': 'application/json' },
      body: JSON.stringify({ to: bo.id, text }),
    });
    expect(sized.status).toBe(413);
    expect((await sized.json()) as any).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    const streamed = await app.request('/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ padding: text })));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('too many sessions from one address is a 429 with Retry-After; other addresses are not affected', async () => {
    const { app } = manualApp({
      rateLimits: { createPerMinute: 2 },
      runtime: addressFromHeader('a'),
    });
    const create = (address: string) =>
      app.request('/api/sessions', { method: 'POST', headers: { 'x-test-address': address } });
    expect((await create('a')).status).toBe(201);
    expect((await create('a')).status).toBe(201);
    const limited = await create('a');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await limited.json()) as any).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    expect((await create('b')).status).toBe(201);
  });

  it('an address that misses too many codes gets 429 on every join, even to a real session', async () => {
    const { app } = manualApp({
      rateLimits: { missesPerMinute: 3 },
      runtime: addressFromHeader('scanner'),
    });
    const { code } = await inProcess(app).session();
    const join = (sessionCode: string, address = 'scanner') =>
      app.request(`/api/sessions/${sessionCode}/participants`, {
        method: 'POST',
        headers: { 'x-test-address': address },
      });
    expect((await join('111111')).status).toBe(404);
    expect((await app.request('/api/sessions/222222', { headers: { 'x-test-address': 'scanner' } })).status).toBe(404);
    expect((await join('333333')).status).toBe(404);
    const blocked = await join(code);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await join('444444')).status).toBe(429);
    expect((await join(code, 'colleague')).status).toBe(201);
  });

  it('a made-up token does not get around the miss limit, while real members keep working', async () => {
    // One client: prober and members alike, so only the token tells them apart.
    const { api, session, ada, bo } = await party({ rateLimits: { missesPerMinute: 3 }, clientAddress: () => '192.0.2.1' });
    const probe = (code: string) => api.call('GET', `/api/sessions/${code}`, { token: 'made-up' });
    expect((await probe('111111')).status).toBe(404);
    expect((await probe('222222')).status).toBe(404);
    expect((await probe('333333')).status).toBe(404);
    const over = await probe('444444');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).not.toBeNull();
    // Now a live code answers just like a dead one: nothing to tell them apart.
    expect((await probe(session.code)).status).toBe(429);
    expect((await api.call('GET', `/api/sessions/${session.code}`)).status).toBe(429);
    expect((await api.send(session.code, ada.token, bo.id, 'Still works for members')).status).toBe(201);
    expect((await api.call('GET', `/api/sessions/${session.code}/participants`, { token: bo.token })).status).toBe(200);
  });

  it('when the store cannot be reached, requests are a 503 and /readyz says so', async () => {
    const broken = new Proxy({} as Store, {
      get: () => async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      },
    });
    const app = createApp({ warmshower: new Warmshower({ store: broken }), logger: false, rateLimits: false });
    const api = inProcess(app);
    const create = await api.call('POST', '/api/sessions');
    expect(create.status).toBe(503);
    expect(create.body).toEqual({ error: { code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/cannot be reached/) } });
    expect((await api.call('GET', '/api/sessions/123456')).status).toBe(503);
    expect((await api.call('GET', '/api/sessions/123456/events', { token: 'x' })).status).toBe(503);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect((await ready.json()) as any).toMatchObject(errorShape);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('/healthz and /readyz answer 200 while all is well', async () => {
    const { app } = manualApp();
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect((await ready.json()) as any).toEqual({ status: 'ok' });
  });
});

describe('the app mounts inside another Hono app', () => {
  it('serves the API under a prefix, with cookie paths under that prefix', async () => {
    const { app: warmshower } = manualApp();
    const outer = new Hono();
    outer.get('/', (c) => c.text('their home page'));
    outer.route('/team/warmshower', warmshower);
    const created = await outer.request('/team/warmshower/api/sessions', { method: 'POST' });
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as any;
    expect(created.headers.get('set-cookie')).toContain(`Path=/team/warmshower/api/sessions/${code}/events`);
    const joined = await outer.request(`/team/warmshower/api/sessions/${code}/participants`, { method: 'POST' });
    expect(joined.headers.get('set-cookie')).toContain(`Path=/team/warmshower/api/sessions/${code}/events`);
    const unknown = await outer.request('/team/warmshower/api/whatever');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('NOT_FOUND');
    expect(await (await outer.request('/')).text()).toBe('their home page');
  });
});

describe('the page', () => {
  it('is served at / from staticRoot, and the API still answers beside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warmshower-page-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Warm Shower</title>');
    writeFileSync(join(root, 'app.js'), 'console.log(1)');
    const { app } = manualApp({ staticRoot: root });
    const page = await app.request('/?code=123456');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Warm Shower');
    // Defense in depth behind text-only rendering: no inline or foreign script may run.
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await app.request('/app.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await app.request('/missing.css')).status).toBe(404);
    expect((await app.request('/api/sessions', { method: 'POST' })).status).toBe(201);
    const outer = new Hono();
    outer.route('/team', manualApp({ staticRoot: root }).app);
    expect(await (await outer.request('/team/')).text()).toContain('Warm Shower');
    expect((await outer.request('/team/app.js')).status).toBe(200);
  });
});
