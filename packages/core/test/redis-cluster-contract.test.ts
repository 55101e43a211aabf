import type { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis, RedisStore } from '../src/redis/index.js';
import { runStoreContract } from '../src/testing/index.js';
import { testPrefix } from '../../../test-support/redis.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';

describeWithRedisCluster('on a real Redis Cluster (3 masters)', () => {
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

  runStoreContract('RedisStore on a Cluster', ({ clock }) => new RedisStore({ client, clock, prefix: testPrefix('cluster-contract') }));
});
