import fc from 'fast-check';
import { Redis } from 'ioredis';
import { it } from 'vitest';
import { RedisStore } from '../src/redis/index.js';
import { ManualClock } from '../src/testing/index.js';
import { operations } from './model.js';
import { playAgainstModel } from './model-play.js';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';

describeWithRedis('RedisStore on a real Redis server follows the model of the rules', () => {
  it('gives the same answers and errors as the model for random sequences', async () => {
    const redis = new Redis(redisUrl);
    try {
      await fc.assert(
        fc.asyncProperty(operations, async (ops) => {
          const clock = new ManualClock();
          const prefix = testPrefix('model');
          const store = new RedisStore({ url: redisUrl, clock, prefix });
          try {
            await playAgainstModel(store, clock, ops);
          } finally {
            await store.close();
            // Sessions the sequence left open would otherwise wait out their real TTL.
            const keys = await redis.keys(`${prefix}:*`);
            if (keys.length) await redis.del(...keys);
          }
        }),
        { numRuns: 100 },
      );
    } finally {
      redis.disconnect();
    }
  });
});
