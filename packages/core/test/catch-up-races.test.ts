// A process that re-reads a session (a catch-up, a heartbeat) while facts about it are still on
// their way: what the re-read finds must not overrule what the facts say. On MemoryStore and on
// RedisStore, with a store whose facts arrive late standing for a subscription under load.

import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, Warmshower, type SessionFact, type Store, type StreamEvent } from '../src/index.js';
import { RedisStore } from '../src/redis/index.js';
import { eventually } from '../../../test-support/eventually.js';
import { redisAvailable, redisUrl, testPrefix } from '../../../test-support/redis.js';

/** `store`, but every fact reaches its listeners `ms` late (in order), as over a slow subscription. */
function lateFacts(store: Store, ms: number): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'subscribe') {
        return (code: string, listener: (fact: SessionFact) => void) =>
          target.subscribe(code, (fact) => void setTimeout(() => listener(fact), ms));
      }
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * `store`, with a subscription that can go deaf (facts are lost) and say `resync` while still deaf:
 * a resubscription reported a moment before it is in place, as a Cluster's `subscribersReady` can be.
 */
function deafening(store: Store) {
  const listeners = new Set<(fact: SessionFact) => void>();
  let deaf = false;
  const wrapped = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'subscribe') {
        return async (code: string, listener: (fact: SessionFact) => void) => {
          listeners.add(listener);
          const stop = await target.subscribe(code, (fact) => (deaf ? undefined : listener(fact)));
          return async () => {
            listeners.delete(listener);
            await stop();
          };
        };
      }
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    store: wrapped,
    deafen: () => void (deaf = true),
    resync: () => listeners.forEach((listener) => listener({ type: 'resync' })),
    hear: () => void (deaf = false),
  };
}

const stores: [string, () => Store][] = [['MemoryStore', () => new MemoryStore()]];
if (redisAvailable) stores.push(['RedisStore', () => new RedisStore({ url: redisUrl, prefix: testPrefix('catch-up-races') })]);

describe.each(stores)('on %s, facts still on their way when the session is read again', (name, makeStore) => {
  const open: Store[] = [];
  const storeOf = (store: Store) => (open.push(store), store);
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  const listen = async (ws: Warmshower, code: string, token: string) => {
    const events: StreamEvent[] = [];
    await ws.connect(code, token, {}, (e) => events.push(e));
    return events;
  };
  const endOf = (events: StreamEvent[]) => events.find((e) => e.event === 'session-ended');

  it('an end right after a reveal (whose catch-up then finds nothing) reaches every stream as "ended", not "lost"', async () => {
    const ws = new Warmshower({ store: storeOf(makeStore()) });
    const session = await ws.createSession({ ttlSeconds: 600, delivery: 'reveal' });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => ws.join(session.code, { displayName })));
    await ws.send(session.code, ada!.token, { to: bo!.id, text: 'held until the reveal' });
    const streams = await Promise.all([session.hostToken, ada!.token, bo!.token].map((token) => listen(ws, session.code, token)));
    // Both at once: the reveal's catch-up reads a session the end has already deleted.
    await Promise.all([ws.reveal(session.code, session.hostToken), ws.end(session.code, session.hostToken)]);
    await eventually(() => expect(streams.every((events) => endOf(events))).toBe(true));
    for (const events of streams) expect(endOf(events)).toEqual({ event: 'session-ended', data: { reason: 'ended' } });
  });

  it('a stream that opens while the session is revealed gets the held warm showers, though its first read came before the reveal', async () => {
    // Bo's first read of his inbox answers (nothing: all held) and is handed back only once the
    // reveal is out and heard: his stream starts from a snapshot older than the reveal.
    let gate: Promise<void> | null = null;
    let gatedOnce = false;
    const store = new Proxy(storeOf(makeStore()), {
      get(target, name, receiver) {
        if (name === 'inbox') {
          return async (...args: Parameters<Store['inbox']>) => {
            const answer = await target.inbox(...args);
            if (gate && !gatedOnce) {
              gatedOnce = true;
              await gate;
            }
            return answer;
          };
        }
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const ws = new Warmshower({ store });
    const session = await ws.createSession({ ttlSeconds: 600, delivery: 'reveal' });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => ws.join(session.code, { displayName })));
    await ws.send(session.code, ada!.token, { to: bo!.id, text: 'held until the reveal' });
    const toHost = await listen(ws, session.code, session.hostToken);
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const toBo: StreamEvent[] = [];
    const connecting = ws.connect(session.code, bo!.token, {}, (e) => toBo.push(e));
    await eventually(() => expect(gatedOnce).toBe(true));
    await ws.reveal(session.code, session.hostToken);
    await eventually(() => expect(toHost.some((e) => e.event === 'revealed')).toBe(true));
    open();
    await connecting;
    await eventually(() => expect(toBo.filter((e) => e.event === 'message').map((e) => (e.data as { text: string }).text)).toEqual(['held until the reveal']));
  });

  // Only a store that numbers its facts can tell it missed one (MemoryStore cannot lose any).
  if (name === 'RedisStore') it('a message lost just after a resync (the subscription not quite back yet) arrives within 2 s, not at the next heartbeat', async () => {
    const link = deafening(storeOf(makeStore()));
    const ws = new Warmshower({ store: link.store });
    const session = await ws.createSession({ ttlSeconds: 600 });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => ws.join(session.code, { displayName })));
    const toBo = await listen(ws, session.code, bo!.token);
    const messages = () => toBo.filter((e) => e.event === 'message').length;

    link.deafen();
    await ws.send(session.code, ada!.token, { to: bo!.id, text: 'lost, then caught up' });
    link.resync();
    await eventually(() => expect(messages()).toBe(1));
    // Sent after the catch-up read it all, while the subscription is still deaf.
    const cy = await ws.join(session.code, { displayName: 'Cy' });
    await ws.send(session.code, cy.token, { to: bo!.id, text: 'lost after the catch-up' });
    link.hear();
    const heardAt = performance.now();
    await eventually(() => expect(messages()).toBe(2), 7000);
    const after = performance.now() - heardAt;
    console.log(`a message lost just after a resync arrived ${Math.round(after)} ms after the subscription was back`);
    expect(after).toBeLessThan(2000);
  });

  it('an end whose fact is still on its way when a heartbeat finds the session gone reaches every stream as "ended"', async () => {
    // Heartbeats every 20 ms, facts 300 ms late: a heartbeat sees the end long before its fact.
    const ws = new Warmshower({ store: storeOf(lateFacts(makeStore(), 300)), heartbeatMs: 20 });
    const session = await ws.createSession({ ttlSeconds: 600 });
    const ada = await ws.join(session.code, { displayName: 'Ada' });
    const streams = await Promise.all([session.hostToken, ada.token].map((token) => listen(ws, session.code, token)));
    await ws.end(session.code, session.hostToken);
    await eventually(() => expect(streams.every((events) => endOf(events))).toBe(true));
    for (const events of streams) expect(endOf(events)).toEqual({ event: 'session-ended', data: { reason: 'ended' } });
  });
});
