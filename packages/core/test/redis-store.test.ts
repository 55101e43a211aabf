import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/redis/index.js';
import {
  MemoryStore,
  Warmshower,
  type SessionFact,
  type Store,
  type StreamEvent,
} from '../src/index.js';
import { ManualClock } from '../src/testing/index.js';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';
import { eventually } from '../../../test-support/eventually.js';
import { raceJoins, raceSameName, raceShowers } from './races.js';

/** A session as core would hand it to a store. */
const session = (code: string, now: number, ms: number, hostTokenHash = 'h') => ({
  code,
  hostTokenHash,
  createdAt: now,
  expiresAt: now + ms,
  ttlSeconds: Math.ceil(ms / 1000),
  delivery: 'live' as const,
  encryption: 'none' as const,
});
/** A participant as core would hand it to a store. */
const person = (id: string, displayName: string, tokenHash: string, joinedAt: number) => ({
  id,
  displayName,
  nameKey: displayName.toLowerCase(),
  tokenHash,
  joinedAt,
  publicKey: null,
});
const room = { maxParticipants: 250 };
/** A message as core would hand it to a store. */
const note = (id: string, to: string, body: string) => ({ id, to, body, kind: 'text' as const });
/** Facts without their numbers (a memory store does not number them). */
const unnumbered = (facts: SessionFact[]) => facts.map(({ seq: _seq, ...fact }) => fact);

describeWithRedis('RedisStore on a real Redis server', () => {
  let redis: Redis;
  let prefix: string;
  const stores: Store[] = [];

  /** A store with connections of its own, sharing this test's key prefix. */
  const newStore = (clock?: ManualClock): RedisStore => {
    const store = new RedisStore({ url: redisUrl, prefix, ...(clock ? { clock } : {}) });
    stores.push(store);
    return store;
  };

  /** Every key this test's stores have left in Redis. */
  const keysLeft = async (match = `${prefix}:*`): Promise<string[]> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys.sort();
  };

  beforeEach(() => {
    redis = new Redis(redisUrl);
    prefix = testPrefix('redis-store');
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    // Sessions a test left open would otherwise wait out their real TTL.
    const keys = await keysLeft();
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('closing the store quits its own connections but not a client it was given', async () => {
    const given = new Redis(redisUrl);
    try {
      const store = new RedisStore({ client: given, prefix });
      await store.subscribe('123456', () => undefined);
      const channel = `${prefix}:{123456}:events`;
      expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
      await store.close();
      expect(await given.ping()).toBe('PONG');
      // Its own subscriber connection is gone with its subscription.
      await eventually(async () => expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 0]));
    } finally {
      given.disconnect();
    }
  });

  it('a given client with a keyPrefix of its own keeps every key of a session under it, and a send reaches its inbox', async () => {
    const given = new Redis(redisUrl, { keyPrefix: `${prefix}:app:` });
    try {
      const ws = new Warmshower({ store: new RedisStore({ client: given, prefix: 'ws' }) });
      const session = await ws.createSession({ ttlSeconds: 600 });
      const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => ws.join(session.code, { displayName })));
      const receipt = await ws.send(session.code, ada!.token, { to: bo!.id, text: 'under a prefix' });
      expect((await ws.store.inbox(session.code, bo!.id, Date.now())).map((m) => m.id)).toEqual([receipt.id]);
      const keys = await keysLeft(`${prefix}:app:ws:{${session.code}}:*`);
      expect(keys.map((k) => k.split(':').pop())).toEqual(expect.arrayContaining(['session', 'people', 'tokens', 'received', 'written']));
      expect(await keysLeft(`ws:{${session.code}}:*`)).toEqual([]);
      await ws.end(session.code, session.hostToken);
      expect(await keysLeft(`${prefix}:app:ws:{${session.code}}:*`)).toEqual([]);
      await ws.store.close?.();
    } finally {
      given.disconnect();
    }
  });

  it('a hundred concurrent showers for one pair, through two processes, give exactly one', async () => {
    await raceShowers(new Warmshower({ store: newStore() }), new Warmshower({ store: newStore() }));
  });

  it('a hundred concurrent joins through two processes all land, in one list of a hundred', async () => {
    await raceJoins(new Warmshower({ store: newStore() }), new Warmshower({ store: newStore() }));
  });

  it('two concurrent joins with the same name, through two processes, give one', async () => {
    await raceSameName(new Warmshower({ store: newStore() }), new Warmshower({ store: newStore() }));
  });

  it('every key of a session shares its hash tag and expires no later than the session; end leaves none', async () => {
    const ws = new Warmshower({ store: newStore() });
    const session = await ws.createSession({ ttlSeconds: 600 });
    const [ada, bo, cy] = await Promise.all(['Ada', 'Bo', 'Cy'].map((displayName) => ws.join(session.code, { displayName })));
    if (!ada || !bo || !cy) throw new Error('joins failed');
    await ws.send(session.code, ada.token, { to: bo.id, text: 'one' });
    await ws.send(session.code, bo.token, { to: cy.id, text: 'two' });
    const open = await ws.connect(session.code, cy.token, {}, () => undefined);
    const closed = await ws.connect(session.code, ada.token, {}, () => undefined);
    await closed.close();

    const keys = await keysLeft();
    const tag = `{${session.code}}`;
    expect(keys.map((key) => key.slice(`${prefix}:${tag}:`.length))).toEqual(
      ['authors', 'leases', 'names', 'online', 'pairs', 'people', 'received', 'roster', 'session', 'streams', 'tally', 'tokens', 'written'],
    );
    const sessionExpiry = await redis.pexpiretime(`${prefix}:${tag}:session`);
    const expiresAt = Date.parse(session.expiresAt);
    // Redis's clock and ours are the same machine's; the slack covers the round trip of the create.
    expect(sessionExpiry).toBeGreaterThanOrEqual(expiresAt - 1000);
    expect(sessionExpiry).toBeLessThanOrEqual(expiresAt + 1000);
    for (const key of keys) {
      expect(key).toContain(tag);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      expect(await redis.pexpiretime(key)).toBeLessThanOrEqual(sessionExpiry);
    }

    await ws.end(session.code, session.hostToken);
    expect(await keysLeft()).toEqual([]);
    await open.close(); // a stream closing after the end re-creates nothing
    expect(await keysLeft()).toEqual([]);
  });

  it('a key Redis evicted comes back with the session’s expiry, never without one', async () => {
    const ws = new Warmshower({ store: newStore() });
    const session = await ws.createSession({ ttlSeconds: 600 });
    const [ada, bo, cy] = await Promise.all(['Ada', 'Bo', 'Cy'].map((displayName) => ws.join(session.code, { displayName })));
    if (!ada || !bo || !cy) throw new Error('joins failed');
    await ws.send(session.code, ada.token, { to: bo.id, text: 'one' });
    const tag = `${prefix}:{${session.code}}`;
    // What an eviction under maxmemory would do to the keys a send writes.
    await redis.del(`${tag}:received`, `${tag}:written`, `${tag}:authors`);
    await ws.send(session.code, bo.token, { to: cy.id, text: 'two' });
    const sessionExpiry = await redis.pexpiretime(`${tag}:session`);
    for (const part of ['received', 'written', 'authors', 'tally', 'pairs']) {
      expect(await redis.pexpiretime(`${tag}:${part}`), part).toBe(sessionExpiry);
    }
  });

  it('a thank-you for the only message of an inbox and of a sender’s list keeps both lists, thanked, with the session’s expiry', async () => {
    const ws = new Warmshower({ store: newStore() });
    const session = await ws.createSession({ ttlSeconds: 600 });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => ws.join(session.code, { displayName })));
    if (!ada || !bo) throw new Error('joins failed');
    const receipt = await ws.send(session.code, ada.token, { to: bo.id, text: 'only one' });
    await ws.thank(session.code, bo.token, receipt.id);
    const now = Date.now();
    expect(await ws.store.inbox(session.code, bo.id, now)).toEqual([expect.objectContaining({ id: receipt.id, thanked: true })]);
    expect(await ws.store.sentBy(session.code, ada.id, now)).toEqual([expect.objectContaining({ id: receipt.id, thanked: true })]);
    const tag = `${prefix}:{${session.code}}`;
    const sessionExpiry = await redis.pexpiretime(`${tag}:session`);
    for (const part of ['received', 'written']) expect(await redis.pexpiretime(`${tag}:${part}`), part).toBe(sessionExpiry);
  });

  it('a session that runs out leaves no key behind', async () => {
    const store = newStore();
    const now = Date.now();
    const code = '424242';
    expect(await store.createSession(session(code, now, 1500), now)).toBe(true);
    await store.join(code, person('a', 'A', 'ta', now), now, room);
    await store.join(code, person('b', 'B', 'tb', now), now, room);
    await store.send(code, 'ta', note('m1', 'b', 'hi'), now);
    expect(await store.streamOpened(code, 'b', now, 5)).toBe('ok');
    expect((await keysLeft()).length).toBeGreaterThan(0);
    await eventually(async () => expect(await keysLeft()).toEqual([]), 10_000);
    // Late stream bookkeeping on a gone session stores nothing.
    await store.streamClosed(code, 'b', Date.now());
    expect(await store.streamOpened(code, 'b', Date.now(), 5)).toBe('no-session');
    expect(await keysLeft()).toEqual([]);
  });

  it('an expired session by the caller’s clock is gone before Redis drops it, and stores nothing more', async () => {
    const clock = new ManualClock(Date.now());
    const store = newStore(clock);
    const now = clock.now();
    const code = '313131';
    await store.createSession(session(code, now, 60_000), now);
    await store.join(code, person('a', 'A', 'ta', now), now, room);
    clock.advance(60_000);
    const later = clock.now();
    expect(await store.lookup(code, 'h', later)).toBeNull();
    expect(await store.join(code, person('b', 'B', 'tb', later), later, room)).toEqual({
      ok: false,
      reason: 'no-session',
    });
    expect(await store.streamOpened(code, 'a', later, 5)).toBe('no-session');
    expect(await keysLeft()).not.toContain(`${prefix}:{${code}}:online`);
    // Its code can be taken again at once, with nothing of the old session in it.
    expect(await store.createSession(session(code, later, 60_000, 'h2'), later)).toBe(true);
    expect(await store.participants(code, later)).toEqual([]);
    expect(await store.endSession(code, later)).toBe(true);
    expect(await keysLeft()).toEqual([]);
  });

  it('a shower sent through one process reaches its recipient on another; an end there closes the stream', async () => {
    const here = new Warmshower({ store: newStore() });
    const there = new Warmshower({ store: newStore() });
    const session = await here.createSession({});
    const ada = await here.join(session.code, { displayName: 'Ada' });
    const bo = await here.join(session.code, { displayName: 'Bo' });
    const hostEvents: StreamEvent[] = [];
    await here.connect(session.code, session.hostToken, {}, (e) => hostEvents.push(e));
    const events: StreamEvent[] = [];
    await there.connect(session.code, bo.token, {}, (e) => events.push(e));
    await eventually(() => expect(hostEvents).toContainEqual({ event: 'presence', data: { id: bo.id, online: true } }));

    const receipt = await here.send(session.code, ada.token, { to: bo.id, text: 'Across processes.' });
    await eventually(() =>
      expect(events).toContainEqual({
        event: 'message',
        id: receipt.id,
        data: { id: receipt.id, text: 'Across processes.', receivedAt: expect.any(String) },
      }),
    );
    await here.end(session.code, session.hostToken);
    await eventually(() => expect(events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } }));
  });

  it('stores, publishes and answers exactly as MemoryStore does, awkward ids and names included', async () => {
    const clock = new ManualClock(Date.now());
    const memory = new MemoryStore({ clock });
    stores.push(memory);
    const redisStore = newStore(clock);
    const now = clock.now();
    const code = '007007';
    const ids = ['quote"d', 'back\\slash', 'new\nline', 'tab\tand\u0001ctl', 'spaced out', 'ünïcode ✨', '[",",","]'];

    const run = async (store: Store) => {
      const facts: SessionFact[] = [];
      const stop = await store.subscribe(code, (fact) => facts.push(fact));
      const replies: unknown[] = [];
      const step = async (reply: Promise<unknown>) => replies.push(await reply);
      await step(store.createSession(session(code, now, 60_000, 'host'), now));
      for (const [i, id] of ids.entries()) {
        await step(store.join(code, person(id, `Ärger ${i} "x"`, `t${i}`, now + i), now, room));
      }
      await step(store.join(code, person('dup', 'ärger 0 "X"', 'td', now), now, room));
      for (const [i] of ids.entries()) {
        for (const [j, to] of ids.entries()) {
          if ((i + j) % 3 === 0) await step(store.send(code, `t${i}`, note(`m${i}-${j}`, to, `für dich\n"${j}"`), now));
        }
      }
      await step(store.send(code, 't0', note('again', ids[3]!, 'again'), now));
      await step(store.send(code, 't0', note('again', ids[3]!, 'again'), now));
      await step(store.send(code, 'host', note('h', ids[1]!, 'x'), now));
      await step(store.send(code, 'nobody', note('n', ids[1]!, 'x'), now));
      await step(store.send(code, 't1', note('n', 'stranger', 'x'), now));
      await step(store.thank(code, 't3', 'm0-3', now));
      await step(store.thank(code, 't3', 'm0-3', now));
      await step(store.thank(code, 't0', 'm0-3', now));
      await step(store.streamOpened(code, ids[2]!, now, 5));
      await step(store.streamOpened(code, ids[2]!, now, 5));
      await step(store.streamOpened(code, 'stranger', now, 5));
      await step(store.streamClosed(code, ids[2]!, now));
      await step(store.lookup(code, 't2', now));
      await step(store.lookup(code, 'host', now));
      await step(store.lookup(code, null, now));
      await step(store.participants(code, now));
      for (const id of ids) {
        await step(store.sentBy(code, id, now));
        await step(store.inbox(code, id, now));
      }
      await step(store.streamClosed(code, ids[2]!, now));
      await step(store.streamClosed(code, ids[2]!, now));
      await step(store.extend(code, now + 120_000, 120, now));
      await step(store.endSession(code, now));
      await step(store.endSession(code, now));
      await step(store.lookup(code, null, now));
      return { replies, facts, stop };
    };

    const expected = await run(memory);
    const actual = await run(redisStore);
    // Only Redis numbers facts; the memory store's sessions always say 0.
    const numberless = (replies: unknown[]) => JSON.parse(JSON.stringify(replies).replace(/"seq":\d+/g, '"seq":0')) as unknown[];
    expect(numberless(actual.replies)).toEqual(numberless(expected.replies));
    await eventually(() => expect(actual.facts).toHaveLength(expected.facts.length));
    expect(unnumbered(actual.facts)).toEqual(expected.facts);
    // Every fact of the session is numbered, in order.
    expect(actual.facts.map((fact) => fact.seq)).toEqual(actual.facts.map((_, i) => i + 1));
    await actual.stop();
    await expected.stop();
  });
});

describe('RedisStore while Redis is unreachable', () => {
  it('answers STORE_UNAVAILABLE promptly instead of hanging', async () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', prefix: testPrefix('unreachable') });
    const ws = new Warmshower({ store });
    try {
      const unavailable = { code: 'STORE_UNAVAILABLE' };
      await expect(ws.createSession({})).rejects.toMatchObject(unavailable);
      await expect(ws.getSession('123456')).rejects.toMatchObject(unavailable);
      await expect(ws.join('123456', { displayName: 'Ada' })).rejects.toMatchObject(unavailable);
      await expect(ws.connect('123456', 'token', {}, () => undefined)).rejects.toMatchObject(unavailable);
      await expect(store.subscribe('123456', () => undefined)).rejects.toThrow();
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});
