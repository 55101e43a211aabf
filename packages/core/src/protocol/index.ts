// @warmshower/core/protocol: what every party of the protocol shares (server, client, page, CLI).
// No imports beyond this folder, no Node APIs: safe to bundle into a page.
export * from './limits.js';
export * from './codes.js';
export * from './words.js';
export * from './errors.js';
export * from './types.js';
