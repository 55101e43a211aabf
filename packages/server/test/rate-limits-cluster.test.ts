import { connectRedis } from '@warmshower/core/redis';
import type { Cluster } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRateLimits } from '../src/rate-limits.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';

describeWithRedisCluster('rate limits on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = (await connectRedis(cluster.url)).client as Cluster;
  }, 30_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('RateLimiterRedis consumes, reads, penalises and deletes with a Cluster as storeClient, no option needed', async () => {
    const limiter = new RateLimiterRedis({ storeClient: client, keyPrefix: 'ws:limit:proof', points: 3, duration: 60, rejectIfRedisNotReady: true });
    // Addresses whose counters land on different masters (each key is its own slot).
    const addresses = ['10.0.0.1', '10.0.0.2', '::1', '192.168.1.7', '2001:db8::5'];
    for (const address of addresses) {
      await limiter.consume(address);
      await limiter.consume(address);
      expect((await limiter.get(address))?.consumedPoints).toBe(2);
      expect((await limiter.penalty(address, 1)).consumedPoints).toBe(3);
      await expect(limiter.consume(address)).rejects.toBeInstanceOf(RateLimiterRes);
      expect(await limiter.delete(address)).toBe(true);
    }
    expect(await limiter.get('10.0.0.9')).toBeNull();
  });

  it("the server's limits count on the cluster: the third creation from one address in a minute is refused", async () => {
    const limits = createRateLimits({ redis: client, keyPrefix: 'ws:limit:server-proof', createPerMinute: 2, missesPerMinute: 1 });
    await limits.creation('10.1.1.1');
    await limits.creation('10.1.1.1');
    await expect(limits.creation('10.1.1.1')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await limits.creation('10.1.1.2');
    await limits.miss('10.1.1.3');
    await expect(limits.miss('10.1.1.3')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(limits.checkMisses('10.1.1.3')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
