// @warmshower/core/redis: the Redis store (ioredis is an optional peer dependency of core).
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
