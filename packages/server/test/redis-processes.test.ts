import { expect, it } from 'vitest';
import { client, eventually, openStream } from './helpers.js';
import { deliverAcross, twoProcessesOnRedis } from './two-processes.js';
import { describeWithRedis } from '../../../test-support/redis.js';

describeWithRedis('two server processes on one Redis', () => {
  const both = twoProcessesOnRedis('server-processes', { rateLimits: { missesPerMinute: 4 } });

  it('a participant streaming from A receives a warm shower sent through B; ending through B closes streams on A', async () => {
    const code = await deliverAcross(both.a, both.b);
    expect(await both.redis.pubsub('CHANNELS', `${both.prefix}:*`)).toEqual([]);
    expect(await both.redis.keys(`${both.prefix}:{${code}}:*`)).toEqual([]);
  });

  it('streams opened and closed by the hundred leave no subscription or presence behind', async () => {
    const viaA = client(both.a.url);
    const session = await viaA.session(600);
    // Twenty-five people with four streams each: within the five a person may hold.
    const people = await Promise.all(Array.from({ length: 25 }, (_, i) => viaA.join(session.code, `Person ${i}`)));
    const url = `${both.a.url}/api/sessions/${session.code}/events`;
    for (let round = 0; round < 3; round++) {
      const streams = await Promise.all(
        Array.from({ length: 100 }, (_, i) => openStream(url, { authorization: `Bearer ${people[i % 25]!.token}` })),
      );
      await Promise.all(streams.map((s) => s.next('ready')));
      expect((await both.redis.pubsub('NUMSUB', `${both.prefix}:{${session.code}}:events`))[1]).toBe(1); // one per process
      await Promise.all(streams.map((s) => s.close()));
    }
    await eventually(async () => (await both.a.stats()).openStreams === 0, 5000, 'streams closed on A');
    await eventually(async () => (await both.redis.pubsub('CHANNELS', `${both.prefix}:*`)).length === 0, 5000, 'no subscription left');
    const list = await viaA.call('GET', `/api/sessions/${session.code}/participants`, { token: session.hostToken });
    expect(list.body.participants.filter((p: { online: boolean }) => p.online)).toEqual([]);
    await viaA.end(session.code, session.hostToken);
  });

  it('the miss limit is shared: misses counted on A block joins on B', async () => {
    const viaA = client(both.a.url);
    const viaB = client(both.b.url);
    const real = await viaA.session(60);
    for (const code of ['100001', '100002']) expect((await viaA.call('POST', `/api/sessions/${code}/participants`)).status).toBe(404);
    for (const code of ['100003', '100004']) expect((await viaB.call('POST', `/api/sessions/${code}/participants`)).status).toBe(404);
    const blocked = await viaB.call('POST', `/api/sessions/${real.code}/participants`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await viaA.call('POST', `/api/sessions/${real.code}/participants`)).status).toBe(429);
  });
});
