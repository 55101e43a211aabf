import { Warmshower, type SessionFact, type Store } from '@warmshower/core';
import { RedisStore } from '@warmshower/core/redis';
import { WarmshowerClient, type StreamEvent } from '@warmshower/client';
import { generateKeyPair, open, safetyNumber, seal } from '@warmshower/client/e2e';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';
import { createApp } from '../src/index.js';
import { listen } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Four people joined to an end-to-end session through the shared client, each with their key pair. */
async function fourPeople(baseUrl: string) {
  const anyone = new WarmshowerClient({ baseUrl });
  const session = await anyone.createSession({ encryption: 'e2e' });
  const people = [];
  for (const name of ['Ada', 'Bo', 'Cy', 'Di']) {
    const keys = await generateKeyPair();
    const joined = await anyone.join(session.code, { displayName: name, publicKey: keys.publicKey });
    people.push({ ...joined, keys, client: anyone.withToken(joined.token) });
  }
  return { session, people, host: anyone.withToken(session.hostToken) };
}

describeWithRedis('an end-to-end encrypted session on a real Redis', () => {
  it('leaves no word of any warm shower in Redis: not in a key, a value or a published fact', async () => {
    const prefix = testPrefix('e2e');
    const redis = new Redis(redisUrl);
    const tap = new Redis(redisUrl);
    const store = new RedisStore({ client: redis, prefix });
    const server = await listen(createApp({ warmshower: new Warmshower({ store }), logger: false, rateLimits: false }));
    closers.push(async () => {
      await server.close();
      await store.close();
      tap.disconnect();
      const left = await redis.keys(`${prefix}:*`);
      if (left.length) await redis.del(...left);
      redis.disconnect();
    });
    const published: string[] = [];
    tap.on('pmessage', (_pattern: string, _channel: string, payload: string) => published.push(payload));
    await tap.psubscribe(`${prefix}:*`);

    const { session, people } = await fourPeople(server.url);
    const streams = people.map((p) => {
      const events: StreamEvent[] = [];
      return { events, handle: p.client.stream(session.code, { onEvent: (e) => events.push(e) }) };
    });
    await eventually(() => streams.every((s) => s.events.some((e) => e.event === 'ready')));
    const texts: string[] = [];
    for (const from of people) {
      for (const to of people) {
        if (from === to) continue;
        const text = `Dear ${to.displayName}, ${from.displayName} admires how you ${Math.random().toString(36).slice(2, 12)} every week.`;
        texts.push(text);
        const ciphertext = await seal({ code: session.code, recipientId: to.id, recipientPublicKey: to.keys.publicKey, text });
        await from.client.send(session.code, { to: to.id, ciphertext });
      }
    }
    // Each reader opens exactly their three.
    await eventually(() => streams.every((s) => s.events.filter((e) => e.event === 'message').length === 3));
    for (const [i, person] of people.entries()) {
      const opened = await Promise.all(
        streams[i]!.events.flatMap((e) =>
          e.event === 'message' && e.data.ciphertext
            ? [open({ code: session.code, recipientId: person.id, privateKey: person.keys.privateKey, ciphertext: e.data.ciphertext })]
            : [],
        ),
      );
      expect(opened.sort()).toEqual(texts.filter((t) => t.startsWith(`Dear ${person.displayName},`)).sort());
    }

    // Every key and value of the session, and every fact published: no run of 8 characters of any text.
    const dump: string[] = [];
    for (const key of await redis.keys(`${prefix}:*`)) {
      dump.push(key);
      const type = await redis.type(key);
      if (type === 'hash') dump.push(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === 'list') dump.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') dump.push(...(await redis.smembers(key)));
      else if (type === 'zset') dump.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'string') dump.push((await redis.get(key)) ?? '');
    }
    expect(dump.length).toBeGreaterThan(20);
    // A message carries one fact, or several as an array (a send's two).
    const facts = published.flatMap((payload) => [JSON.parse(payload) as unknown].flat());
    expect(facts.length).toBeGreaterThanOrEqual(12 + 12);
    const everything = [...dump, ...published].join('\n');
    for (const text of texts) {
      for (let at = 0; at + 8 <= text.length; at++) expect(everything, `"${text.slice(at, at + 8)}"`).not.toContain(text.slice(at, at + 8));
    }
    for (const s of streams) s.handle.close();
  });
});

/** A store that reports someone else's key for one participant, as a hostile server would. */
function swappingKeys(inner: Store, victim: () => string | undefined, forged: string): Store {
  const swap = <T extends { id: string; publicKey: string | null }>(p: T): T => (p.id === victim() ? { ...p, publicKey: forged } : p);
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'participants') {
        return async (...args: Parameters<Store['participants']>) => (await target.participants(...args))?.map(swap) ?? null;
      }
      if (name === 'subscribe') {
        return (code: string, listener: (fact: SessionFact) => void) =>
          target.subscribe(code, (fact) => listener(fact.type === 'joined' ? { ...fact, participant: swap(fact.participant) } : fact));
      }
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a key swapped on the server', () => {
  it('changes the safety number every client shows', async () => {
    const { MemoryStore } = await import('@warmshower/core');
    const honest = await listen(createApp({ store: new MemoryStore(), logger: false, rateLimits: false }));
    closers.push(honest.close);
    const truth = await fourPeople(honest.url);
    const expected = await safetyNumber(truth.people.map((p) => ({ id: p.id, publicKey: p.keys.publicKey })));
    const listed = await truth.people[0]!.client.participants(truth.session.code);
    expect(await safetyNumber(listed.participants.map((p) => ({ id: p.id, publicKey: p.publicKey! })))).toBe(expected);

    const mallory = await generateKeyPair();
    let victim: string | undefined;
    const hostile = await listen(
      createApp({ store: swappingKeys(new MemoryStore(), () => victim, mallory.publicKey), logger: false, rateLimits: false }),
    );
    closers.push(hostile.close);
    const fooled = await fourPeople(hostile.url);
    victim = fooled.people[1]!.id;
    const own = await safetyNumber(fooled.people.map((p) => ({ id: p.id, publicKey: p.keys.publicKey })));
    for (const person of fooled.people) {
      const seen = await person.client.participants(fooled.session.code);
      const shown = await safetyNumber(seen.participants.map((p) => ({ id: p.id, publicKey: p.publicKey! })));
      expect(shown).not.toBe(own); // read aloud, the numbers do not match what the keys' owners hold
    }
  });
});
