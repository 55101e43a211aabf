import { MemoryStore, Warmshower, type Store } from '@warmshower/core';
import { RedisStore } from '@warmshower/core/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, redisUrl, testPrefix } from '../../../test-support/redis.js';
import { createApp, type AppOptions } from '../src/index.js';
import { client, listen, openStream } from './helpers.js';

/** Where the rules keep sessions and counters: memory, or a real Redis (every case runs on both). */
const stores = [
  { name: 'memory', available: true },
  { name: 'Redis', available: redisAvailable },
] as const;

describe.each(stores)('behind a proxy and under abuse, on $name', ({ name, available }) => {
  let redis: Redis | undefined;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (name === 'Redis' && available) {
      redis = new Redis(redisUrl);
      await redis.ping(); // the limiter refuses (503) while its client is not ready yet
    }
  });
  afterAll(() => redis?.disconnect());
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  /** An app over real HTTP on this store, with the rate limits in that store too. */
  const serve = async (options: AppOptions = {}) => {
    const prefix = testPrefix(`abuse-${name}`);
    const store: Store = redis ? new RedisStore({ client: redis, prefix }) : new MemoryStore();
    const app = createApp({
      warmshower: new Warmshower({ store, maxParticipants: options.maxParticipants }),
      logger: false,
      ...options,
      rateLimits: options.rateLimits ?? { ...(redis ? { redis, keyPrefix: `${prefix}:limit` } : {}) },
    });
    const server = await listen(app);
    closers.push(async () => {
      await server.close();
      await store.close();
    });
    return { app, url: server.url, api: client(server.url) };
  };
  const join = (url: string, code: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/sessions/${code}/participants`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  const test = available ? it : it.skip;

  test('with one trusted proxy, each forwarded address has its own miss limit, and rotating it without trust changes nothing', async () => {
    const trusted = await serve({ trustProxy: 1, rateLimits: { missesPerMinute: 20, ...(redis ? { redis, keyPrefix: testPrefix('limit') } : {}) } });
    const statuses = [];
    for (let i = 0; i < 25; i++) statuses.push((await join(trusted.url, '000001', { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses).toEqual(Array(25).fill(404));
    const one = [];
    for (let i = 0; i < 21; i++) one.push((await join(trusted.url, '000002', { 'x-forwarded-for': '198.51.100.7' })).status);
    expect(one.slice(0, 20)).toEqual(Array(20).fill(404));
    expect(one[20]).toBe(429);

    const untrusted = await serve({ rateLimits: { missesPerMinute: 20, ...(redis ? { redis, keyPrefix: testPrefix('limit') } : {}) } });
    const rotated = [];
    for (let i = 0; i < 21; i++) rotated.push((await join(untrusted.url, '000003', { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(rotated.at(-1)).toBe(429); // every request is the socket's, whatever it claims
  });

  test('two IPv6 addresses of one /64 share a limit; another /64 has its own', async () => {
    const { url } = await serve({ trustProxy: 'loopback', rateLimits: { missesPerMinute: 3, ...(redis ? { redis, keyPrefix: testPrefix('limit') } : {}) } });
    const from = (address: string) => join(url, '000004', { 'x-forwarded-for': address });
    expect((await from('2001:db8:1:2::1')).status).toBe(404);
    expect((await from('2001:db8:1:2:aaaa::9')).status).toBe(404);
    expect((await from('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(404);
    expect((await from('2001:db8:1:2::77')).status).toBe(429);
    expect((await from('2001:db8:1:3::1')).status).toBe(404);
  });

  test('a trusted proxy saying https makes the stream cookie Secure; an untrusted one does not', async () => {
    const trusted = await serve({ trustProxy: 'loopback' });
    const create = (url: string) =>
      fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: '{}' });
    expect((await create(trusted.url)).headers.get('set-cookie')).toMatch(/; Secure/);
    const untrusted = await serve({ trustProxy: '10.0.0.0/8' });
    expect((await create(untrusted.url)).headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  test('a body that is not declared JSON is a 415 and sets no cookie', async () => {
    const { url, api } = await serve();
    const session = await api.session();
    const ada = await api.join(session.code, 'Ada');
    const bo = await api.join(session.code, 'Bo');
    const plain = { 'content-type': 'text/plain' };
    const joined = await fetch(`${url}/api/sessions/${session.code}/participants`, { method: 'POST', headers: plain, body: '{"displayName":"Ghost"}' });
    expect(joined.status).toBe(415);
    expect(joined.headers.get('set-cookie')).toBeNull();
    expect(await joined.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') } });
    const sent = await fetch(`${url}/api/sessions/${session.code}/messages`, {
      method: 'POST',
      headers: { ...plain, authorization: `Bearer ${ada.token}` },
      body: JSON.stringify({ to: bo.id, text: 'hi' }),
    });
    expect(sent.status).toBe(415);
    expect((await api.call('GET', `/api/sessions/${session.code}`)).body.participantCount).toBe(2);
  });

  test('another site cannot change anything: a foreign Origin or Sec-Fetch-Site: cross-site is a 403', async () => {
    const { url, api } = await serve({ allowedOrigins: ['https://intranet.example'] });
    const session = await api.session();
    const ada = await api.join(session.code, 'Ada');
    const bo = await api.join(session.code, 'Bo');
    const evil = { origin: 'https://evil.example', 'content-type': 'application/json' };
    const attempts: [string, string, Record<string, string>, string?][] = [
      ['POST', '/api/sessions', {}, '{}'],
      ['POST', `/api/sessions/${session.code}/participants`, {}, '{}'],
      ['POST', `/api/sessions/${session.code}/messages`, { authorization: `Bearer ${ada.token}` }, JSON.stringify({ to: bo.id, text: 'x' })],
      ['POST', `/api/sessions/${session.code}/messages/x/thanks`, { authorization: `Bearer ${bo.token}` }],
      ['POST', `/api/sessions/${session.code}/reveal`, { authorization: `Bearer ${session.hostToken}` }],
      ['PATCH', `/api/sessions/${session.code}`, { authorization: `Bearer ${session.hostToken}` }, '{"ttlSeconds":60}'],
      ['DELETE', `/api/sessions/${session.code}`, { authorization: `Bearer ${session.hostToken}` }],
    ];
    for (const [method, path, headers, body] of attempts) {
      const res = await fetch(url + path, { method, headers: { ...evil, ...headers }, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CROSS_SITE');
      const marked = await fetch(url + path, { method, headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', ...headers }, body });
      expect(marked.status, `${method} ${path} cross-site`).toBe(403);
    }
    // The page's own requests and an allowed embedding page pass.
    const own = await fetch(`${url}/api/sessions/${session.code}/participants`, {
      method: 'POST',
      headers: { origin: url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: '{"displayName":"Cy"}',
    });
    expect(own.status).toBe(201);
    const embedded = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin: 'https://intranet.example', 'content-type': 'application/json' }, body: '{}' });
    expect(embedded.status).toBe(201);
    expect((await api.call('GET', `/api/sessions/${session.code}`)).body.participantCount).toBe(3);
  });

  test('every API reply says Cache-Control: no-store, errors and streams included', async () => {
    const { url, api } = await serve();
    const session = await api.session();
    const ada = await api.join(session.code, 'Ada');
    const bo = await api.join(session.code, 'Bo');
    const as = (token: string, method = 'GET', body?: unknown): RequestInit => ({
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const sent = await fetch(`${url}/api/sessions/${session.code}/messages`, as(ada.token, 'POST', { to: bo.id, text: 'Thank you for the map.' }));
    const { id } = (await sent.clone().json()) as { id: string };
    const replies = [
      await fetch(`${url}/api/info`),
      await fetch(`${url}/api/openapi.json`),
      await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      await join(url, session.code),
      await fetch(`${url}/api/sessions/${session.code}`),
      await fetch(`${url}/api/sessions/${session.code}/participants`, as(session.hostToken)),
      sent,
      await fetch(`${url}/api/sessions/${session.code}/messages`, as(ada.token, 'POST', { to: bo.id, text: 'Again.' })),
      await fetch(`${url}/api/sessions/${session.code}/messages/${id}/thanks`, as(bo.token, 'POST')),
      await fetch(`${url}/api/sessions/${session.code}/events`, { ...as(ada.token), method: 'HEAD' }),
      await fetch(`${url}/api/sessions/999999`),
      await fetch(`${url}/api/nothing-here`),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 201, 201, 200, 200, 201, 409, 201, 200, 404, 404]);
    for (const reply of replies) expect(reply.headers.get('cache-control'), `${reply.status} ${reply.url}`).toBe('no-store');
    const stream = await openStream(`${url}/api/sessions/${session.code}/events`, { authorization: `Bearer ${ada.token}` });
    expect(stream.headers.get('cache-control')).toBe('no-store');
    await stream.close();
    const ended = await fetch(`${url}/api/sessions/${session.code}`, as(session.hostToken, 'DELETE'));
    expect(ended.status).toBe(204);
    expect(ended.headers.get('cache-control')).toBe('no-store');
  });

  test('the 251st join is refused with SESSION_FULL', async () => {
    const { url, api } = await serve();
    const session = await api.session();
    const results = [];
    for (let batch = 0; batch < 5; batch++) {
      results.push(...(await Promise.all(Array.from({ length: 50 }, () => join(url, session.code)))).map((r) => r.status));
    }
    expect(results.filter((s) => s === 201)).toHaveLength(250);
    const next = await join(url, session.code);
    expect(next.status).toBe(409);
    expect(await next.json()).toEqual({ error: { code: 'SESSION_FULL', message: 'This session is full: it holds at most 250 people.' } });
  });

  test('a sixth stream of one person is a 429 and the first five keep working', async () => {
    const { url, api } = await serve();
    const session = await api.session();
    const ada = await api.join(session.code, 'Ada');
    const bo = await api.join(session.code, 'Bo');
    const events = `${url}/api/sessions/${session.code}/events`;
    const five = await Promise.all(Array.from({ length: 5 }, () => openStream(events, { authorization: `Bearer ${ada.token}` })));
    await Promise.all(five.map((s) => s.next('ready')));
    const sixth = await fetch(events, { headers: { authorization: `Bearer ${ada.token}` } });
    expect(sixth.status).toBe(429);
    expect(((await sixth.json()) as { error: unknown }).error).toEqual({ code: 'TOO_MANY_STREAMS', message: expect.stringMatching(/5 live connections/) });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    const shower = await api.send(session.code, bo.token, ada.id, 'all five hear this');
    for (const s of five) expect((await s.next('message')).id).toBe(shower.body.id);
    await Promise.all(five.map((s) => s.close()));
  });

  test('a process at its most streams answers 503, and takes streams again once some close', async () => {
    const { url, api, app } = await serve({ maxStreams: 3 });
    const session = await api.session();
    const people = await Promise.all(['Ada', 'Bo', 'Cy', 'Di'].map((n) => api.join(session.code, n)));
    const events = `${url}/api/sessions/${session.code}/events`;
    const open = await Promise.all(people.slice(0, 3).map((p) => openStream(events, { authorization: `Bearer ${p.token}` })));
    await Promise.all(open.map((s) => s.next('ready')));
    const refused = await fetch(events, { headers: { authorization: `Bearer ${people[3]!.token}` } });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SERVER_BUSY');
    await open[0]!.close();
    await expect.poll(() => app.stats().openStreams).toBe(2);
    const again = await openStream(events, { authorization: `Bearer ${people[3]!.token}` });
    expect((await again.next('ready')).data.you).toEqual({ id: people[3]!.id });
    await Promise.all([...open.slice(1), again].map((s) => s.close()));
  });
});
