import RedisMock from 'ioredis-mock';
import { RedisStore } from '../src/redis/index.js';
import { runStoreContract } from '../src/testing/index.js';
import { testPrefix } from '../../../test-support/redis.js';

// ioredis-mock runs the same Lua scripts (in fengari; the scripts avoid cjson, which it lacks) and
// pub/sub in memory, so the whole contract runs and nothing needs `skip`.
runStoreContract(
  'RedisStore on ioredis-mock',
  ({ clock }) => {
    const client = new RedisMock();
    const store = new RedisStore({ client, clock, prefix: testPrefix('mock') });
    // The store never quits a client it was given; this suite made it, so it does.
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      client.disconnect();
    };
    return store;
  },
);
