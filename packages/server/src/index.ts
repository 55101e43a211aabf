// @warmshower/server: the Warm Shower HTTP API and live events as a Hono app you can mount
// anywhere. The Node entry (`@warmshower/server/node`) listens and is what `warmshower serve` runs.
export { createApp } from './app.js';
export type { AppOptions, AppStats, WarmshowerApp } from './app.js';
export type { RateLimitOptions } from './rate-limits.js';
export type { TrustProxy } from './addresses.js';
export type { Runtime, EventSink } from './runtime.js';
export { genericRuntime } from './runtime.js';
export { statusOf } from './errors.js';
export { openApiDocument } from './openapi.js';
export { profanityScreen, filters } from './screens.js';
export type { Filter } from './screens.js';
export { logLevels } from './logging.js';
export type { LogLevel } from './logging.js';
