// @warmshower/core/redis: the Redis store and the one place that opens connections to Redis
// (ioredis is an optional peer dependency of core).
export { defaultRedisPrefix, RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { connectRedis, redactRedisUrl, redisClientOptions, redisUrlOf } from './connect.js';
export type { ConnectedRedis, ConnectRedisOptions, RedisClientOptions } from './connect.js';
