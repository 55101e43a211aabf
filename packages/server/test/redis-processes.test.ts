import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './fixtures/processes.js';
import { client, eventually, openStream } from './helpers.js';
import { deliverAcross } from './two-processes.js';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';

describeWithRedis('two server processes on one Redis', () => {
  const prefix = testPrefix('server-processes');
  let a: ServerProcess;
  let b: ServerProcess;
  let redis: Redis;

  beforeAll(async () => {
    const options = { redisUrl, redisPrefix: prefix, rateLimits: { missesPerMinute: 4 } };
    [a, b] = await Promise.all([startServerProcess(options), startServerProcess(options)]);
    redis = new Redis(redisUrl);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('a participant streaming from A receives a warm shower sent through B; ending through B closes streams on A', async () => {
    const code = await deliverAcross(a, b);
    expect(await redis.pubsub('CHANNELS', `${prefix}:*`)).toEqual([]);
    expect(await redis.keys(`${prefix}:{${code}}:*`)).toEqual([]);
  });

  it('streams opened and closed by the hundred leave no subscription or presence behind', async () => {
    const viaA = client(a.url);
    const session = await viaA.session(600);
    // Twenty-five people with four streams each: within the five a person may hold.
    const people = await Promise.all(Array.from({ length: 25 }, (_, i) => viaA.join(session.code, `Person ${i}`)));
    const url = `${a.url}/api/sessions/${session.code}/events`;
    for (let round = 0; round < 3; round++) {
      const streams = await Promise.all(
        Array.from({ length: 100 }, (_, i) => openStream(url, { authorization: `Bearer ${people[i % 25]!.token}` })),
      );
      await Promise.all(streams.map((s) => s.next('ready')));
      expect((await redis.pubsub('NUMSUB', `${prefix}:{${session.code}}:events`))[1]).toBe(1); // one per process
      await Promise.all(streams.map((s) => s.close()));
    }
    await eventually(async () => (await a.stats()).openStreams === 0, 'streams closed on A');
    await eventually(async () => (await redis.pubsub('CHANNELS', `${prefix}:*`)).length === 0, 'no subscription left');
    const list = await viaA.call('GET', `/api/sessions/${session.code}/participants`, { token: session.hostToken });
    expect(list.body.participants.filter((p: { online: boolean }) => p.online)).toEqual([]);
    await viaA.end(session.code, session.hostToken);
  });

  it('the miss limit is shared: misses counted on A block joins on B', async () => {
    const viaA = client(a.url);
    const viaB = client(b.url);
    const real = await viaA.session(60);
    for (const code of ['100001', '100002']) expect((await viaA.call('POST', `/api/sessions/${code}/participants`)).status).toBe(404);
    for (const code of ['100003', '100004']) expect((await viaB.call('POST', `/api/sessions/${code}/participants`)).status).toBe(404);
    const blocked = await viaB.call('POST', `/api/sessions/${real.code}/participants`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await viaA.call('POST', `/api/sessions/${real.code}/participants`)).status).toBe(429);
  });
});
