export { createApp } from './app.js';
export type { AppOptions, AppStats, WarmshowerApp } from './app.js';
export type { RateLimitOptions } from './rate-limits.js';
export { statusOf } from './errors.js';
