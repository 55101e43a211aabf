import type { RedisOptions } from 'ioredis';

/**
 * The options of every ioredis client Warm Shower makes: fail fast while Redis is down (hosts
 * answer 503 at once), and keep reconnecting with a capped backoff.
 */
export function redisClientOptions(options: { commandTimeout?: number } = {}): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeout ?? 2000,
    retryStrategy: (attempt) => Math.min(attempt * 50, 1000),
  };
}
