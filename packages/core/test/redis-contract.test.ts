import { RedisStore } from '../src/index.js';
import { runStoreContract } from '../src/testing/index.js';
import { describeWithRedis, redisUrl, testPrefix } from './redis-helpers.js';

describeWithRedis('on a real Redis server', () => {
  runStoreContract('RedisStore', ({ clock }) => new RedisStore({ url: redisUrl, clock, prefix: testPrefix('contract') }));
});
