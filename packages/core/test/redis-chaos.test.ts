// Open streams through trouble on a private Redis (SPEC §3's delivery guarantees): the store's
// subscriptions killed, the whole Redis restarted without its data, and one process cut off
// from Redis while another carries on.

import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Warmshower, type StreamEvent } from '../src/index.js';
import { RedisStore } from '../src/redis/index.js';
import { eventually } from '../../../test-support/eventually.js';
import { testPrefix } from '../../../test-support/redis.js';
import { describeWithRedisCluster, startRedisServer, type RedisServer } from '../../../test-support/redis-cluster.js';
import { startTcpProxy } from '../../../test-support/tcp-proxy.js';

/** A stream's events, each with the moment it arrived. */
interface Listening {
  events: StreamEvent[];
  arrivedAt: number[];
  close(): Promise<void>;
}

const messageIds = (l: Listening) => l.events.flatMap((e) => (e.event === 'message' ? [e.id] : []));
const ended = (l: Listening) => l.events.find((e) => e.event === 'session-ended');

describeWithRedisCluster('open streams through trouble on a private Redis', () => {
  let redis: RedisServer;
  let admin: Redis;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined);
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  /** Warm Shower in a process of its own (a store with its own connections) on `url`. */
  const processOn = (url: string, prefix: string, commandTimeout?: number): Warmshower => {
    const store = new RedisStore({ url, prefix, commandTimeout });
    cleanup.push(() => store.close());
    return new Warmshower({ store });
  };

  const listen = async (ws: Warmshower, code: string, token: string): Promise<Listening> => {
    const events: StreamEvent[] = [];
    const arrivedAt: number[] = [];
    const connection = await ws.connect(code, token, {}, (e) => {
      events.push(e);
      arrivedAt.push(performance.now());
    });
    cleanup.push(() => connection.close());
    return { events, arrivedAt, close: () => connection.close() };
  };

  /**
   * Two processes on the private Redis, `here` behind a TCP proxy the test can cut or stall and
   * `there` straight; a session (created through `there`) with Ada and Bo.
   */
  const behindProxy = async (name: string, options: { commandTimeout?: number } = {}) => {
    const prefix = testPrefix(name);
    const through = await startTcpProxy({ host: '127.0.0.1', port: redis.port });
    cleanup.push(() => through.close());
    const here = processOn(through.url, prefix, options.commandTimeout);
    const there = processOn(redis.url, prefix);
    const session = await there.createSession({ ttlSeconds: 600 });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => there.join(session.code, { displayName })));
    return { prefix, proxy: through, here, there, session, ada: ada!, bo: bo! };
  };

  it('after CLIENT KILL TYPE pubsub, 20 sends reach the open streams 20 of 20 within 2 s, in order, none twice', async () => {
    const prefix = testPrefix('chaos-kill');
    const [here, there] = [processOn(redis.url, prefix), processOn(redis.url, prefix)];
    const session = await there.createSession({ ttlSeconds: 600 });
    const people = await Promise.all(['Ada', 'Bo', 'Cy', 'Di', 'Ed'].map((displayName) => there.join(session.code, { displayName })));
    const streams = await Promise.all(people.map((p) => listen(here, session.code, p.token)));
    await eventually(() => expect(streams.every((s) => s.events[0]?.event === 'ready')).toBe(true));

    const killed = Number(await admin.client('KILL', 'TYPE', 'pubsub'));
    expect(killed).toBeGreaterThanOrEqual(1);
    // Every ordered pair of the five, at once, while the subscriber reconnects.
    const acceptedAt = new Map<string, number>();
    const recipientOf = new Map<string, number>();
    await Promise.all(
      people.flatMap((from, i) =>
        people.flatMap((to, j) =>
          i === j
            ? []
            : [
                there.send(session.code, from.token, { to: to.id, text: `from ${i} to ${j}` }).then((receipt) => {
                  acceptedAt.set(receipt.id, performance.now());
                  recipientOf.set(receipt.id, j);
                }),
              ],
        ),
      ),
    );
    expect(acceptedAt.size).toBe(20);
    await eventually(() => expect(streams.reduce((n, s) => n + messageIds(s).length, 0)).toBeGreaterThanOrEqual(20));
    const delays = [...acceptedAt].map(([id, at]) => {
      const stream = streams[recipientOf.get(id)!]!;
      const index = stream.events.findIndex((e) => e.event === 'message' && e.id === id);
      return index < 0 ? Infinity : stream.arrivedAt[index]! - at;
    });
    const arrived = delays.filter((d) => d <= 2000).length;
    console.log(`CLIENT KILL TYPE pubsub (${killed} killed), then 20 sends: ${arrived} of 20 arrived within 2 s, the slowest ${Math.round(Math.max(...delays))} ms after its 201`);
    expect(arrived).toBe(20);

    // In the order of each inbox, and once: checked after session-ended, the last event of all.
    const inboxes = await Promise.all(people.map((p) => here.store.inbox(session.code, p.id, Date.now())));
    await here.end(session.code, session.hostToken);
    await eventually(() => expect(streams.every((s) => ended(s))).toBe(true));
    streams.forEach((s, i) => expect(messageIds(s)).toEqual(inboxes[i]!.map((m) => m.id)));
  });

  it('after SCRIPT FLUSH, a send, a stream and a join still work: the scripts go again with their bodies', async () => {
    const prefix = testPrefix('chaos-flush');
    const ws = processOn(redis.url, prefix);
    const session = await ws.createSession({ ttlSeconds: 600 });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => ws.join(session.code, { displayName })));
    await ws.send(session.code, ada!.token, { to: bo!.id, text: 'before the flush' });

    expect(await admin.script('FLUSH')).toBe('OK');
    const receipt = await ws.send(session.code, bo!.token, { to: ada!.id, text: 'after the flush' });
    const stream = await listen(ws, session.code, ada!.token);
    // Her stream opened (two scripts), read her inbox and her own warm showers.
    await eventually(() => expect(messageIds(stream)).toEqual([receipt.id]));
    const ready = stream.events[0];
    expect(ready?.event === 'ready' && ready.data.sent?.map((s) => s.to)).toEqual([bo!.id]);
    expect(await admin.script('FLUSH')).toBe('OK');
    await ws.join(session.code, { displayName: 'Cy' });
    expect((await ws.participants(session.code, session.hostToken)).participants.map((p) => p.displayName)).toEqual(['Ada', 'Bo', 'Cy']);
  });

  it('after a Redis restart without persistence, every open stream gets session-ended "lost" within 30 s; a new session works', async () => {
    const prefix = testPrefix('chaos-restart');
    const [here, there] = [processOn(redis.url, prefix), processOn(redis.url, prefix)];
    const streams: Listening[] = [];
    for (let s = 0; s < 2; s++) {
      const session = await there.createSession({ ttlSeconds: 600 });
      const people = await Promise.all(['Ada', 'Bo', 'Cy'].map((displayName) => there.join(session.code, { displayName })));
      for (const token of [session.hostToken, ...people.map((p) => p.token)]) streams.push(await listen(here, session.code, token));
    }
    await eventually(() => expect(streams.every((s) => s.events[0]?.event === 'ready')).toBe(true));

    const killedAt = performance.now();
    let refused = '';
    // Down until the process has noticed: a request of its own answers STORE_UNAVAILABLE.
    await redis.restart(() =>
      eventually(async () => {
        refused = await here.createSession({}).then(() => 'created', (error: { code: string }) => error.code);
        expect(refused).toBe('STORE_UNAVAILABLE');
      }, 10_000),
    );
    const upAt = performance.now();
    await eventually(() => expect(streams.every((s) => ended(s))).toBe(true), 35_000);
    const last = Math.max(...streams.map((s) => s.arrivedAt.at(-1)!));
    console.log(
      `Redis restarted (down ${Math.round(upAt - killedAt)} ms): all ${streams.length} streams got session-ended ${((last - killedAt) / 1000).toFixed(1)} s after the kill`,
    );
    for (const s of streams) expect(ended(s)).toEqual({ event: 'session-ended', data: { reason: 'lost' } });
    expect(last - killedAt).toBeLessThan(30_000);

    // The same processes serve a new session on the new Redis.
    const session = await there.createSession({ ttlSeconds: 600 });
    const [ada, bo] = await Promise.all(['Ada', 'Bo'].map((displayName) => there.join(session.code, { displayName })));
    const boOnHere = await listen(here, session.code, bo!.token);
    const receipt = await there.send(session.code, ada!.token, { to: bo!.id, text: 'after the restart' });
    await eventually(() => expect(messageIds(boOnHere)).toEqual([receipt.id]));
    await there.end(session.code, session.hostToken);
  }, 45_000);

  it('a warm shower refused (STORE_UNAVAILABLE) while the network hung is not recorded once Redis is back', async () => {
    const { proxy, here, there, session, ada, bo } = await behindProxy('chaos-refused');
    await here.store.ping();

    // The send is written, and no answer comes: the caller is told it failed.
    proxy.stall();
    const began = performance.now();
    const refused = await here.send(session.code, ada.token, { to: bo.id, text: 'refused' }).then(
      () => 'sent',
      (error: { code: string }) => error.code,
    );
    const waited = performance.now() - began;
    expect(refused).toBe('STORE_UNAVAILABLE');
    proxy.cut();
    proxy.restore();
    await eventually(() => here.store.ping(), 10_000);
    await here.store.ping(); // answered after anything the client sent again on reconnecting
    const inbox = await there.store.inbox(session.code, bo.id, Date.now());
    console.log(`a send refused after ${Math.round(waited)} ms of a hung network; once back, Bo's inbox holds ${inbox.length} message(s)`);
    expect(inbox).toEqual([]);
    // Ada may write it again, and it is her first.
    expect(await here.send(session.code, ada.token, { to: bo.id, text: 'again' })).toMatchObject({ sentCount: 1 });
    await there.end(session.code, session.hostToken);
  });

  it('a warm shower in flight when the connection to Redis drops is refused at once, not after the command timeout', async () => {
    // A command timeout far longer than the test: only the dropped connection can end the wait.
    const { proxy, here, there, session, ada, bo } = await behindProxy('chaos-dropped', { commandTimeout: 60_000 });
    await here.store.ping();

    proxy.stall();
    const sending = here.send(session.code, ada.token, { to: bo.id, text: 'in flight' }).then(
      () => 'sent',
      (error: { code: string }) => error.code,
    );
    await new Promise((r) => setTimeout(r, 200));
    const cutAt = performance.now();
    proxy.cut();
    const refused = await sending;
    const afterCut = performance.now() - cutAt;
    console.log(`a send in flight refused ${Math.round(afterCut)} ms after its connection dropped`);
    expect(refused).toBe('STORE_UNAVAILABLE');
    // Told when the connection dropped, not when the command's timeout ran out.
    expect(afterCut).toBeLessThan(10_000);
    proxy.restore();
    await eventually(() => here.store.ping(), 10_000);
    expect(await here.send(session.code, ada.token, { to: bo.id, text: 'again' })).toMatchObject({ sentCount: 1 });
    await there.end(session.code, session.hostToken);
  });

  it('a process cut off from Redis learns, once back, the joins, presence and end that happened meanwhile', async () => {
    const { prefix, proxy, here, there, session, ada, bo } = await behindProxy('chaos-cut');
    const host = await listen(here, session.code, session.hostToken);
    const adaHere = await listen(here, session.code, ada.token);
    await eventually(() => expect([host, adaHere].every((s) => s.events[0]?.event === 'ready')).toBe(true));
    const channel = `${prefix}:{${session.code}}:events`;
    const subscribers = async () => Number(((await admin.pubsub('NUMSUB', channel)) as [string, number])[1]);

    /**
     * Cuts `here` off, runs `meanwhile` through `there`, lets `here` back. The channel then has
     * `count.cut` subscribers, and `count.back` once here's subscription returns: resolves with
     * when it was let back and when the subscription was seen back (polled, so a little late).
     */
    const whileCut = async (meanwhile: () => Promise<void>, count: { cut: number; back?: number }) => {
      proxy.cut();
      await eventually(async () => expect(await subscribers()).toBe(count.cut));
      await meanwhile();
      proxy.restore();
      const restoredAt = performance.now();
      if (count.back !== undefined) await eventually(async () => expect(await subscribers()).toBe(count.back), 10_000);
      return { restoredAt, subscribedAt: performance.now() };
    };
    const after = (l: Listening, since: number) => l.events.filter((_, i) => l.arrivedAt[i]! >= since);

    // 1. Cy joins, Bo comes online (a stream on `there`) and writes to Ada.
    let boThere: Listening | undefined;
    let cy: Awaited<ReturnType<Warmshower['join']>> | undefined;
    let receipt: Awaited<ReturnType<Warmshower['send']>> | undefined;
    const cutAt = performance.now();
    const back = await whileCut(async () => {
      cy = await there.join(session.code, { displayName: 'Cy' });
      boThere = await listen(there, session.code, bo.token);
      receipt = await there.send(session.code, bo.token, { to: ada.id, text: 'while you were away' });
    }, { cut: 0, back: 2 });
    const learned = (l: Listening) => [
      { event: 'participant-joined', data: { id: cy!.id, displayName: 'Cy' } },
      { event: 'presence', data: { id: bo.id, online: true } },
    ].every((e) => after(l, cutAt).some((seen) => JSON.stringify(seen) === JSON.stringify(e)));
    await eventually(() => {
      expect(learned(host) && learned(adaHere)).toBe(true);
      expect(messageIds(adaHere)).toEqual([receipt!.id]);
      expect(after(host, cutAt)).toContainEqual({ event: 'progress', data: { sent: 1, possible: 6 } });
    }, 10_000);
    const messageAt = adaHere.arrivedAt[adaHere.events.findIndex((e) => e.event === 'message')]!;
    console.log(
      `cut off, then back: the join, presence and message of meanwhile arrived ${Math.round(messageAt - back.restoredAt)} ms after the connections were let through, ` +
        `the subscription seen back after ${Math.round(back.subscribedAt - back.restoredAt)} ms`,
    );
    expect(messageAt - back.subscribedAt).toBeLessThan(2000);

    // 2. Bo's only stream closes: offline.
    const secondCut = performance.now();
    await whileCut(async () => {
      await boThere!.close();
      await eventually(async () => expect((await there.participants(session.code, session.hostToken)).participants.find((p) => p.id === bo.id)?.online).toBe(false));
    }, { cut: 1, back: 1 });
    await eventually(() => {
      for (const l of [host, adaHere]) expect(after(l, secondCut)).toContainEqual({ event: 'presence', data: { id: bo.id, online: false } });
    }, 10_000);

    // 3. The host ends the session: the store keeps nothing of it, so `here` can only tell it is gone.
    // (Here's subscription may come back and go at once, when its catch-up finds the session gone.)
    await whileCut(() => there.end(session.code, session.hostToken), { cut: 0 });
    await eventually(() => expect([host, adaHere].every((l) => ended(l))).toBe(true), 10_000);
    for (const l of [host, adaHere]) expect(ended(l)).toEqual({ event: 'session-ended', data: { reason: 'lost' } });
  }, 60_000);
});
