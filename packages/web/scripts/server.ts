// Scripts run under plain Node (tsx): the server comes from its package (its built dist/), like
// any user of it; the tests import the same name, which vitest points at the sources.
import { startServer as start, type ServerOptions } from '@warmshower/server/node';
import { webRoot } from '../index.js';

/** The API and this page's dist/ on one port, in memory, without logs or rate limits. */
export function startServer(options: ServerOptions = {}) {
  return start({ port: 0, host: '127.0.0.1', staticRoot: webRoot, logger: false, rateLimits: false, ...options });
}
