import { Warmshower } from '@warmshower/core';
import { RedisStore } from '@warmshower/core/redis';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';
import { createApp } from '../src/index.js';
import { client, eventually, listen, manualApp, openStream } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function served(app = manualApp().app) {
  const server = await listen(app);
  closers.push(server.close);
  return { url: server.url, api: client(server.url) };
}

/** Everything in `ready` but what only describes the reader's own sending. */
const shared = (data: Record<string, unknown>) => {
  const { you: _you, sentTo: _sentTo, sent: _sent, complete: _complete, ...rest } = data;
  return rest;
};

describe('the shower moment over HTTP', () => {
  it('in a reveal session nobody learns of what is waiting for them, then each gets exactly theirs at the reveal', async () => {
    const { url, api } = await served();
    const session = (await api.call('POST', '/api/sessions', { body: { delivery: 'reveal' } })).body;
    const four = await Promise.all(['Ada', 'Bo', 'Cy', 'Di'].map((name) => api.join(session.code, name)));
    const quiet = await api.join(session.code, 'Eve'); // writes nothing, receives nothing
    const events = `${url}/api/sessions/${session.code}/events`;
    const streams = await Promise.all([...four, quiet].map((p) => openStream(events, { authorization: `Bearer ${p.token}` })));
    await Promise.all(streams.map((s) => s.next('ready')));
    const sent = new Map<string, string[]>();
    for (const from of four) {
      for (const to of four) {
        if (from === to) continue;
        const receipt = await api.send(session.code, from.token, to.id, `${from.displayName} to ${to.displayName}`);
        expect(receipt.status).toBe(201);
        sent.set(to.id, [...(sent.get(to.id) ?? []), receipt.body.id]);
      }
    }
    // Ada has three waiting, Eve none: nothing they can read tells them apart.
    const [ada] = four;
    const look = async (token: string) => ({
      session: (await api.call('GET', `/api/sessions/${session.code}`, { token })).body,
      people: (await api.call('GET', `/api/sessions/${session.code}/participants`, { token })).body.participants,
      ready: shared((await (await openStream(events, { authorization: `Bearer ${token}` })).next('ready')).data),
    });
    expect(await look(ada!.token)).toEqual(await look(quiet.token));
    for (const s of streams) expect(s.events.filter((e) => e.event === 'message')).toEqual([]);

    const revealed = await api.call('POST', `/api/sessions/${session.code}/reveal`, { token: session.hostToken });
    expect(revealed).toMatchObject({ status: 200, body: { revealed: true } });
    // All at once: right after `revealed`, nothing between (the order below), however slow the machine.
    await Promise.all(streams.slice(0, 4).map((s) => s.next('message', 3, 10_000)));
    for (const [i, person] of four.entries()) {
      const names = streams[i]!.events.map((e) => e.event).filter((e) => e !== 'presence');
      expect(names).toEqual(['ready', 'revealed', 'message', 'message', 'message']);
      const ids = streams[i]!.events.filter((e) => e.event === 'message').map((e) => e.id);
      expect(new Set(ids)).toEqual(new Set(sent.get(person.id)));
    }
    await streams[4]!.next('revealed');
    expect(streams[4]!.events.filter((e) => e.event === 'message')).toEqual([]);
    expect((await api.call('POST', `/api/sessions/${session.code}/reveal`, { token: session.hostToken })).status).toBe(409);
    await Promise.all(streams.map((s) => s.close()));
  });

  it('across twenty reveal sessions the order of the warm showers is not the order they were sent', async () => {
    const { url, api } = await served();
    let inSendOrder = 0;
    let recipients = 0;
    for (let round = 0; round < 20; round++) {
      const session = (await api.call('POST', '/api/sessions', { body: { delivery: 'reveal' } })).body;
      const people = await Promise.all(['A', 'B', 'C', 'D'].map((name) => api.join(session.code, name)));
      const order = new Map<string, string[]>();
      for (const from of people) {
        for (const to of people) {
          if (from === to) continue;
          order.set(to.id, [...(order.get(to.id) ?? []), (await api.send(session.code, from.token, to.id, 'hello')).body.id]);
        }
      }
      await api.call('POST', `/api/sessions/${session.code}/reveal`, { token: session.hostToken });
      for (const person of people) {
        const stream = await openStream(`${url}/api/sessions/${session.code}/events`, { authorization: `Bearer ${person.token}` });
        const received = (await Promise.all([1, 2, 3].map((n) => stream.next('message', n)))).map((e) => e.id);
        recipients++;
        if (received.join() === order.get(person.id)!.join()) inSendOrder++;
        await stream.close();
      }
    }
    // Shuffled, one in six would keep its order by chance; never all of them.
    expect(inSendOrder).toBeLessThan(recipients / 2);
  });

  it('a recipient thanks a warm shower: only its writer hears it, once', async () => {
    const { url, api } = await served();
    const session = await api.session();
    const [ada, bo, cy] = await Promise.all(['Ada', 'Bo', 'Cy'].map((name) => api.join(session.code, name)));
    const events = `${url}/api/sessions/${session.code}/events`;
    const [toAda, toCy] = await Promise.all([ada!, cy!].map((p) => openStream(events, { authorization: `Bearer ${p.token}` })));
    const shower = (await api.send(session.code, ada!.token, bo!.id, 'You unblock everyone.')).body;
    const thank = (token: string, id = shower.id) => api.call('POST', `/api/sessions/${session.code}/messages/${id}/thanks`, { token });
    expect(await thank(bo!.token)).toMatchObject({ status: 201, body: { id: shower.id } });
    expect((await thank(bo!.token)).body.error.code).toBe('ALREADY_THANKED');
    expect((await thank(ada!.token)).status).toBe(404); // the writer's own message is not theirs to thank
    expect((await thank(cy!.token)).status).toBe(404);
    expect((await thank(session.hostToken)).status).toBe(403);
    expect((await toAda!.next('thanked')).data).toEqual({ id: shower.id });
    // A later fact on the same channel reaches Cy after any thank-you would have.
    await api.join(session.code, 'Di');
    await toCy!.next('participant-joined');
    expect(toCy!.events.map((e) => e.event)).not.toContain('thanked');
    await Promise.all([toAda!, toCy!].map((s) => s.close()));
  });
});

describeWithRedis('warning and extension on a real Redis', () => {
  it('a 10 s session warns 2 s before its end; extended to 60 s it hears so, and every key lives on', async () => {
    const redis = new Redis(redisUrl);
    const prefix = testPrefix('finale');
    const store = new RedisStore({ client: redis, prefix });
    const app = createApp({ warmshower: new Warmshower({ store }), logger: false, rateLimits: false });
    const { url, api } = await served(app);
    try {
      const session = await api.session(10);
      const ada = await api.join(session.code, 'Ada');
      const bo = await api.join(session.code, 'Bo');
      await api.send(session.code, ada.token, bo.id, 'before the warning');
      const stream = await openStream(`${url}/api/sessions/${session.code}/events`, { authorization: `Bearer ${bo.token}` });
      const warning = await stream.next('expiring', 1, 12_000);
      // Rule 10: when min(300 s, 10 s / 5) = 2 s remain; never sooner, and well before the end.
      const left = Date.parse(session.expiresAt) - Date.now();
      expect(left).toBeLessThanOrEqual(2000);
      expect(left).toBeGreaterThan(500);
      expect(warning.data).toEqual({ expiresAt: session.expiresAt });
      const changed = await api.call('PATCH', `/api/sessions/${session.code}`, { token: session.hostToken, body: { ttlSeconds: 60 } });
      expect(changed.status).toBe(200);
      expect((await stream.next('expiry-changed')).data).toEqual({ expiresAt: changed.body.expiresAt });
      const until = Date.parse(changed.body.expiresAt);
      expect(until - Date.now()).toBeGreaterThan(58_000);
      const keys = await redis.keys(`${prefix}:{${session.code}}:*`);
      expect(keys.length).toBeGreaterThan(8);
      for (const key of keys) {
        const at = await redis.pexpiretime(key);
        expect(Math.abs(at - until), key).toBeLessThan(1000);
      }
      const firstEnd = Date.parse(session.expiresAt);
      await eventually(() => Date.now() > firstEnd + 500, 5000, 'the first end to pass');
      expect((await api.call('GET', `/api/sessions/${session.code}`)).status).toBe(200);
      expect(stream.events.map((e) => e.event)).not.toContain('session-ended');
      await api.end(session.code, session.hostToken);
      await stream.waitEnd();
    } finally {
      await store.close();
      const left = await redis.keys(`${prefix}:*`);
      if (left.length) await redis.del(...left);
      redis.disconnect();
    }
  }, 20_000);
});
