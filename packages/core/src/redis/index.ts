// @warmshower/core/redis: the Redis store and how Warm Shower connects to Redis (ioredis is an
// optional peer dependency of core).
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { connectRedis, redactRedisUrl, redisClientOptions } from './connect.js';
export type { ConnectRedisOptions, ConnectedRedis, RedisClientOptions } from './connect.js';
