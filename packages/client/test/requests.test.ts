import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isSessionGone, WarmshowerClient, WarmshowerClientError, WarmshowerError } from '@warmshower/client';
import { memoryApp, serveApp, team } from './helpers.js';

/** The rejection of a call, for assertions on its code, status and sentence. */
async function failure(call: Promise<unknown>): Promise<WarmshowerClientError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarmshowerClientError);
  return error as WarmshowerClientError;
}

describe('the API over real HTTP', () => {
  it('info, reveal, thanks and a new lifetime, with the replies of SPEC §2', async () => {
    const server = await serveApp(memoryApp());
    const anyone = new WarmshowerClient({ baseUrl: server.url });
    const info = await anyone.info();
    expect(info).toMatchObject({ version: expect.any(String), joinUrl: `${server.url}/`, joinUrlIsLoopback: true, limits: { text: 1000 } });
    const created = await anyone.createSession({ delivery: 'reveal' });
    const host = anyone.withToken(created.hostToken);
    const ada = await anyone.join(created.code, { displayName: 'Ada' });
    const bo = await anyone.join(created.code, { displayName: 'Bo' });
    const shower = await anyone.withToken(ada.token).send(created.code, { to: bo.id, text: 'Held until the reveal.' });
    expect(await host.reveal(created.code)).toEqual({ revealed: true });
    expect((await failure(host.reveal(created.code))).code).toBe('ALREADY_REVEALED');
    expect(await anyone.withToken(bo.token).thank(created.code, shower.id)).toEqual({ id: shower.id });
    expect((await failure(anyone.withToken(ada.token).thank(created.code, shower.id))).status).toBe(404);
    const longer = await host.extendSession(created.code, 7200);
    expect(longer).toEqual({ code: created.code, expiresAt: expect.any(String), ttlSeconds: 7200 });
    expect((await host.getSession(created.code)).expiresAt).toBe(longer.expiresAt);
  });

  it('a session is created, joined, written in and ended, with the replies of SPEC §2', async () => {
    const server = await serveApp(memoryApp());
    const anyone = new WarmshowerClient({ baseUrl: server.url });
    const created = await anyone.createSession({ ttlSeconds: 600 });
    expect(created).toEqual({
      code: expect.stringMatching(/^\d{6}$/),
      hostToken: expect.any(String),
      expiresAt: expect.any(String),
      ttlSeconds: 600,
      delivery: 'live',
      encryption: 'none',
    });
    const host = anyone.withToken(created.hostToken);
    const ada = await anyone.join(created.code, { displayName: 'Ada' });
    expect(ada).toEqual({ id: expect.any(String), token: expect.any(String), displayName: 'Ada', expiresAt: created.expiresAt });
    const bo = await anyone.join(created.code);
    expect(bo.displayName).not.toBe('');

    const asAda = anyone.withToken(ada.token);
    const list = await asAda.participants(created.code);
    expect(list.participants.map((p) => p.displayName)).toEqual(['Ada', bo.displayName]);
    expect(list.me).toEqual({ id: ada.id, sentTo: [], complete: false });

    const receipt = await asAda.send(created.code, { to: bo.id, text: 'Thank you for the review.' });
    expect(receipt).toEqual({ id: expect.any(String), to: bo.id, sentCount: 1, remaining: 0, complete: true });

    expect(await anyone.getSession(created.code)).toEqual({
      code: created.code,
      expiresAt: created.expiresAt,
      participantCount: 2,
      delivery: 'live',
      revealed: false,
      encryption: 'none',
    });
    expect((await host.getSession(created.code)).progress).toEqual({ sent: 1, possible: 2 });

    await expect(host.endSession(created.code)).resolves.toBeUndefined();
    const gone = await failure(anyone.getSession(created.code));
    expect(gone).toMatchObject({ code: 'SESSION_NOT_FOUND', status: 404 });
    expect(isSessionGone(gone)).toBe(true);
  });

  it('a second shower to the same person is refused with 409 ALREADY_SENT and the API’s sentence', async () => {
    const { code, people, as } = await team();
    const ada = as(people.ada.token);
    await ada.send(code, { to: people.bo.id, text: 'Great demo.' });
    const error = await failure(ada.send(code, { to: people.bo.id, text: 'Again!' }));
    expect(error).toMatchObject({ code: 'ALREADY_SENT', status: 409 });
    expect(error.message).toMatch(/already/i);
    expect(isSessionGone(error)).toBe(false);
    // One error type across the project: it is a WarmshowerError too.
    expect(error).toBeInstanceOf(WarmshowerError);
    expect(error.toJSON()).toEqual({ error: { code: 'ALREADY_SENT', message: error.message } });
  });

  it('a request without a token is refused with 401, and an unknown session with 404', async () => {
    const { code, anyone, server } = await team();
    expect(await failure(anyone.participants(code))).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(await failure(anyone.withToken('not-a-token').send(code, { to: 'x', text: 'hi' }))).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
    });
    const other = code === '000000' ? '000001' : '000000';
    expect(await failure(anyone.join(other, { displayName: 'Eve' }))).toMatchObject({ code: 'SESSION_NOT_FOUND', status: 404 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('a participant ending the session is refused with 403', async () => {
    const { code, people, as } = await team();
    expect(await failure(as(people.ada.token).endSession(code))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('over the creation limit, 429 RATE_LIMITED carries Retry-After as retryAfterSeconds', async () => {
    const server = await serveApp(memoryApp({ rateLimits: { createPerMinute: 1 } }));
    const anyone = new WarmshowerClient({ baseUrl: server.url });
    await anyone.createSession();
    const error = await failure(anyone.createSession());
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('an app mounted under a prefix is reached with the prefix in baseUrl, with or without a trailing slash', async () => {
    const outer = new Hono();
    outer.get('/', (c) => c.text('the host app'));
    outer.route('/ws', memoryApp());
    const server = await serveApp(outer);
    for (const baseUrl of [`${server.url}/ws`, `${server.url}/ws/`, `${server.url}/ws/?code=123456#x`]) {
      const anyone = new WarmshowerClient({ baseUrl });
      expect(anyone.baseUrl).toBe(`${server.url}/ws/`);
      const { code, hostToken } = await anyone.createSession();
      const ada = await anyone.join(code, { displayName: 'Ada' });
      expect((await anyone.withToken(hostToken).participants(code)).participants).toEqual([
        { id: ada.id, displayName: 'Ada', online: false },
      ]);
      expect(anyone.eventsUrl(code)).toBe(`${server.url}/ws/api/sessions/${code}/events`);
      expect(anyone.eventsUrl(code, 'host')).toBe(`${server.url}/ws/api/sessions/${code}/events?as=host`);
    }
  });
});
