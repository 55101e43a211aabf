// The exact requests of every method (method, path, headers, body), against a small Hono app that
// records what it got and answers the SPEC's shapes; requests.test.ts talks to the real server.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { WarmshowerClient, WarmshowerClientError } from '@warmshower/client';
import { serveApp } from './helpers.js';

interface Seen {
  method: string;
  path: string;
  query: string;
  authorization: string | null;
  accept: string | null;
  contentType: string | null;
  body: unknown;
}

const code = '012345';
const expiresAt = '2026-01-01T01:00:00.000Z';

async function fakeServer() {
  const seen: Seen[] = [];
  const app = new Hono();
  app.use(async (c, next) => {
    const text = await c.req.text();
    const url = new URL(c.req.url);
    seen.push({
      method: c.req.method,
      path: url.pathname,
      query: url.search,
      authorization: c.req.header('authorization') ?? null,
      accept: c.req.header('accept') ?? null,
      contentType: c.req.header('content-type') ?? null,
      body: text === '' ? undefined : JSON.parse(text),
    });
    await next();
  });
  const api = new Hono();
  api.get('/info', (c) =>
    c.json({
      version: '0.1.0',
      joinUrl: 'http://shower.lan:3000/',
      joinUrlIsLoopback: false,
      limits: { ttlSeconds: { min: 10, max: 86400, default: 3600 }, displayName: 40, text: 1000, maxParticipants: 250 },
    }),
  );
  api.post('/sessions', (c) =>
    c.json({ code, hostToken: 'host-token', expiresAt, ttlSeconds: 3600, delivery: 'reveal', encryption: 'none' }, 201),
  );
  api.get('/sessions/:code', (c) =>
    c.json({ code, expiresAt, participantCount: 0, delivery: 'reveal', revealed: false, encryption: 'none' }),
  );
  api.patch('/sessions/:code', async (c) => c.json({ code, expiresAt: '2026-01-01T02:00:00.000Z', ttlSeconds: 7200 }));
  api.delete('/sessions/:code', (c) => c.body(null, 204));
  api.post('/sessions/:code/reveal', (c) => c.json({ revealed: true }));
  api.post('/sessions/:code/messages/:id/thanks', (c) =>
    c.req.param('id') === 'm-2'
      ? c.json({ error: { code: 'ALREADY_THANKED', message: 'You have already thanked this message.' } }, 409)
      : c.json({ id: c.req.param('id') }, 201),
  );
  api.post('/sessions/:code/participants', (c) => c.json({ id: 'p-1', token: 'p-token', displayName: 'Ada', expiresAt }, 201));
  api.get('/sessions/:code/participants', (c) => c.json({ participants: [] }));
  api.post('/sessions/:code/messages', (c) => c.json({ id: 'm-1', to: 'p-2', sentCount: 1, remaining: 0, complete: true }, 201));
  const outer = new Hono();
  outer.route('/warmshower', app.route('/api', api));
  const server = await serveApp(outer);
  return { seen, baseUrl: `${server.url}/warmshower` };
}

describe('each method is one request of SPEC §2', () => {
  it('info, extendSession, reveal and thank send the method, path, headers and body of the SPEC and return its reply', async () => {
    const { seen, baseUrl } = await fakeServer();
    const host = new WarmshowerClient({ baseUrl, token: 'host-token' });
    expect(await host.info()).toMatchObject({ joinUrl: 'http://shower.lan:3000/', limits: { text: 1000 } });
    expect(await host.extendSession(code, 7200)).toEqual({ code, expiresAt: '2026-01-01T02:00:00.000Z', ttlSeconds: 7200 });
    expect(await host.reveal(code)).toEqual({ revealed: true });
    const ada = host.withToken('p-token');
    expect(await ada.thank(code, 'm/1')).toEqual({ id: 'm/1' });
    const refused = await ada.thank(code, 'm-2').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WarmshowerClientError);
    expect(refused).toMatchObject({ code: 'ALREADY_THANKED', status: 409, message: 'You have already thanked this message.' });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}`, accept: 'application/json' });
    expect(seen).toEqual([
      { method: 'GET', path: '/warmshower/api/info', query: '', ...bearer('host-token'), contentType: null, body: undefined },
      {
        method: 'PATCH',
        path: `/warmshower/api/sessions/${code}`,
        query: '',
        ...bearer('host-token'),
        contentType: 'application/json',
        body: { ttlSeconds: 7200 },
      },
      { method: 'POST', path: `/warmshower/api/sessions/${code}/reveal`, query: '', ...bearer('host-token'), contentType: null, body: undefined },
      {
        method: 'POST',
        path: `/warmshower/api/sessions/${code}/messages/m%2F1/thanks`,
        query: '',
        ...bearer('p-token'),
        contentType: null,
        body: undefined,
      },
      {
        method: 'POST',
        path: `/warmshower/api/sessions/${code}/messages/m-2/thanks`,
        query: '',
        ...bearer('p-token'),
        contentType: null,
        body: undefined,
      },
    ]);
  });

  it('the other methods: JSON bodies declared application/json, no Authorization without a token, 204 as undefined', async () => {
    const { seen, baseUrl } = await fakeServer();
    const anyone = new WarmshowerClient({ baseUrl });
    await anyone.createSession({ delivery: 'reveal' });
    await anyone.join(code, { displayName: 'Ada' });
    await anyone.join(code);
    await anyone.getSession(code);
    const ada = anyone.withToken('p-token');
    await ada.participants(code);
    await ada.send(code, { to: 'p-2', text: 'Thank you.' });
    await expect(anyone.withToken('host-token').endSession(code)).resolves.toBeUndefined();
    const json = 'application/json';
    expect(seen.map(({ method, path, authorization, contentType, body }) => ({ method, path, authorization, contentType, body }))).toEqual([
      { method: 'POST', path: '/warmshower/api/sessions', authorization: null, contentType: json, body: { delivery: 'reveal' } },
      { method: 'POST', path: `/warmshower/api/sessions/${code}/participants`, authorization: null, contentType: json, body: { displayName: 'Ada' } },
      { method: 'POST', path: `/warmshower/api/sessions/${code}/participants`, authorization: null, contentType: json, body: {} },
      { method: 'GET', path: `/warmshower/api/sessions/${code}`, authorization: null, contentType: null, body: undefined },
      { method: 'GET', path: `/warmshower/api/sessions/${code}/participants`, authorization: 'Bearer p-token', contentType: null, body: undefined },
      {
        method: 'POST',
        path: `/warmshower/api/sessions/${code}/messages`,
        authorization: 'Bearer p-token',
        contentType: json,
        body: { to: 'p-2', text: 'Thank you.' },
      },
      { method: 'DELETE', path: `/warmshower/api/sessions/${code}`, authorization: 'Bearer host-token', contentType: null, body: undefined },
    ]);
    expect(seen.every((s) => s.accept === 'application/json')).toBe(true);
  });

  it('an injected fetch is called as a plain function with the full URL and credentials same-origin', async () => {
    const calls: { url: string; init: RequestInit; self: unknown }[] = [];
    const fetch = function (this: unknown, url: string, init: RequestInit) {
      calls.push({ url, init, self: this });
      return Promise.resolve(new Response(JSON.stringify({ participants: [] }), { headers: { 'content-type': 'application/json' } }));
    };
    const client = new WarmshowerClient({ baseUrl: 'https://example.org/warmshower', token: 't', fetch });
    await client.participants(code);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`https://example.org/warmshower/api/sessions/${code}/participants`);
    expect(calls[0]!.init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(calls[0]!.self).toBeUndefined(); // a browser's fetch refuses to run as a method of something else
  });
});
