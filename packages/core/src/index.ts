// @warmshower/core: the rules, the Store interface and MemoryStore. RedisStore lives on its own
// entry (`@warmshower/core/redis`), so that nothing here loads ioredis.
export { Warmshower, hashToken } from './warmshower.js';
export type { WarmshowerOptions, ConnectOptions, Connection, Screen } from './warmshower.js';
export { WarmshowerError, isWarmshowerError, errors, errorCodes } from './errors.js';
export type { ErrorCode, ErrorBody } from './errors.js';
export { MemoryStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { cryptoRandom } from './random.js';
export type { RandomSource } from './random.js';
export { INVALID_JSON, parseCreateSession, parseExtendSession, parseJoin, parseSend } from './validation.js';
/** The zod schemas that validate request bodies (the server's OpenAPI document is made from them). */
export { createSessionBody, extendSessionBody, joinBody, sendBody } from './validation.js';
export { friendlyName } from './names.js';
export * from './protocol/index.js';
export type * from './store.js';
export { HOST, leaseMs } from './store.js';
