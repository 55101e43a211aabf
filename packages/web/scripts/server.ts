// Scripts run under plain Node (tsx), without vitest's aliases: start the server from its source,
// so the page is always tried against the server of this checkout. Tests import it by name.
import { webRoot } from '../index.js';
import { startServer as start } from '../../server/src/node.js';

/** The API and this page's dist/ on one port, in memory, without logs or rate limits. */
export function startServer(options: { port?: number; host?: string } = {}) {
  return start({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', staticRoot: webRoot, logger: false, rateLimits: false });
}
