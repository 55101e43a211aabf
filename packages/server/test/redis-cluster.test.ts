import type { Cluster } from 'ioredis';
import { connectRedis } from '@warmshower/core/redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './fixtures/processes.js';
import { deliverAcross } from './two-processes.js';
import { keysWithExpiry } from '../../../test-support/cluster-keys.js';
import { testPrefix } from '../../../test-support/redis.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';

describeWithRedisCluster('two server processes on one Redis Cluster (3 masters)', () => {
  const prefix = testPrefix('server-cluster');
  let cluster: RedisCluster;
  let admin: Cluster;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    admin = (await connectRedis(cluster.url)).client as Cluster;
    const options = { redisPrefix: prefix, rateLimits: false as const };
    // One given a single node, the other the whole list: both find out it is a cluster.
    [a, b] = await Promise.all([
      startServerProcess({ ...options, redisUrl: cluster.url }),
      startServerProcess({ ...options, redisUrl: cluster.urls.join(',') }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    admin?.disconnect();
    await cluster?.stop();
  });

  it('a participant streaming from A receives what is sent through B; ending through B closes streams on A and leaves nothing', async () => {
    expect([a.store, b.store]).toEqual(['redis-cluster', 'redis-cluster']);
    const code = await deliverAcross(a, b);
    expect(await keysWithExpiry(admin, `${prefix}:{${code}}:*`)).toEqual([]);
    for (const master of admin.nodes('master')) {
      expect(await master.call('PUBSUB', 'SHARDCHANNELS', `${prefix}:*`)).toEqual([]);
    }
  });
});
