// The rules on a real Redis Cluster of three masters: the model of the rules over random
// sequences, and the contested steps raced through two processes, in sessions on every master.
// After each, every key of a session expires no later than the session, and an ended one has none.

import fc from 'fast-check';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoRandom, Warmshower, type RandomSource } from '../src/index.js';
import { connectRedis, RedisStore, type RedisStoreOptions } from '../src/redis/index.js';
import { ManualClock } from '../src/testing/index.js';
import { operations } from './model.js';
import { playAgainstModel } from './model-play.js';
import { raceJoins, raceSameName, raceShowers, type Raced } from './races.js';
import { keyProblems, keysWithExpiry } from '../../../test-support/cluster-keys.js';
import { testPrefix } from '../../../test-support/redis.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';

/** A RedisStore that remembers which sessions it created and which it ended. */
class RecordingStore extends RedisStore {
  readonly created = new Set<string>();
  readonly ended = new Set<string>();

  constructor(options: RedisStoreOptions) {
    super(options);
  }

  override async createSession(...args: Parameters<RedisStore['createSession']>): Promise<boolean> {
    const created = await super.createSession(...args);
    if (created) {
      this.created.add(args[0].code);
      this.ended.delete(args[0].code);
    }
    return created;
  }

  override async endSession(code: string, now: number): Promise<boolean> {
    const ended = await super.endSession(code, now);
    if (ended) this.ended.add(code);
    return ended;
  }
}

/** Draws the given session code, and everything else at random. */
const drawing = (code: string): RandomSource => ({
  bytes: (n) => cryptoRandom.bytes(n),
  int: (max) => (max === 1_000_000 ? Number(code) : cryptoRandom.int(max)),
});

describeWithRedisCluster('the rules on a real Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster;
  /** Two clients: two server processes. */
  let clients: [Cluster, Cluster];
  /** One session code whose slot each master serves. */
  let codeOnMaster: Map<number, string>;

  const masterPort = async (code: string) => (await cluster.masterOf(`ws:{${code}}:session`)).port;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    const connect = async () => (await connectRedis(cluster.url)).client as Cluster;
    clients = [await connect(), await connect()];
    codeOnMaster = new Map();
    for (let code = 100_000; codeOnMaster.size < 3; code += 7919) {
      const port = await masterPort(String(code));
      if (!codeOnMaster.has(port)) codeOnMaster.set(port, String(code));
    }
  }, 30_000);

  afterAll(async () => {
    for (const client of clients ?? []) client.disconnect();
    await cluster?.stop();
  });

  /** Fails with every key of `prefix` that outlives its session or its end. */
  async function expectKeysFollowSessions(prefix: string, ended: ReadonlySet<string>): Promise<void> {
    expect(keyProblems(await keysWithExpiry(clients[0], `${prefix}:*`), prefix, ended)).toEqual([]);
  }

  it('follows the model of the rules for random sequences, sessions on every master, keys expiring with them', async () => {
    const codes = new Set<string>();
    let keysChecked = 0;
    await fc.assert(
      fc.asyncProperty(operations, async (ops) => {
        const clock = new ManualClock();
        const prefix = testPrefix('cluster-model');
        const store = new RecordingStore({ client: clients[0], clock, prefix });
        const checkKeys = async () => {
          const keys = await keysWithExpiry(clients[0], `${prefix}:*`);
          keysChecked += keys.length;
          expect(keyProblems(keys, prefix, store.ended)).toEqual([]);
          return keys;
        };
        try {
          // After every operation, not only at the end: a key may outlive its session for a while.
          await playAgainstModel(store, clock, ops, async () => void (await checkKeys()));
        } finally {
          await store.close();
        }
        const keys = await checkKeys();
        for (const code of store.created) codes.add(code);
        // Sessions the sequence left open would otherwise wait out their real TTL.
        await Promise.all(keys.map(({ key }) => clients[0].del(key)));
      }),
      { numRuns: 300 },
    );
    const perMaster = new Map<number, number>();
    for (const code of codes) {
      const port = await masterPort(code);
      perMaster.set(port, (perMaster.get(port) ?? 0) + 1);
    }
    console.log(`model on the cluster: ${codes.size} sessions, per master ${JSON.stringify(Object.fromEntries(perMaster))}, ${keysChecked} key expiries checked`);
    expect(perMaster.size).toBeGreaterThanOrEqual(2);
  }, 60_000);

  describe.each([
    ['a hundred racing showers for one pair give one', raceShowers],
    ['a hundred racing joins all land', raceJoins],
    ['two racing joins of the same name give one', raceSameName],
  ] as const)('%s', (_title, race) => {
    it('through two processes, in a session on each of the three masters; its keys expire with it and end leaves none', async () => {
      expect(codeOnMaster.size).toBe(3);
      await Promise.all(
        [...codeOnMaster.values()].map(async (code) => {
          const prefix = testPrefix('cluster-race');
          const one = new Warmshower({ store: new RedisStore({ client: clients[0], prefix }), random: drawing(code) });
          const two = new Warmshower({ store: new RedisStore({ client: clients[1], prefix }) });
          try {
            const session: Raced = await race(one, two);
            expect(session.code).toBe(code);
            await expectKeysFollowSessions(prefix, new Set());
            await one.end(session.code, session.hostToken);
            await expectKeysFollowSessions(prefix, new Set([code]));
            expect(await keysWithExpiry(clients[0], `${prefix}:*`)).toEqual([]);
          } finally {
            await Promise.all([one.store.close(), two.store.close()]);
          }
        }),
      );
    });
  });
});
