import { RedisStore } from '../src/redis/index.js';
import { runStoreContract } from '../src/testing/index.js';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';

describeWithRedis('on a real Redis server', () => {
  runStoreContract('RedisStore', ({ clock }) => new RedisStore({ url: redisUrl, clock, prefix: testPrefix('contract') }));
});
