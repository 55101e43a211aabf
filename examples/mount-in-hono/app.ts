import { createApp } from '@warmshower/server';
import { webRoot } from '@warmshower/web';
import { Hono } from 'hono';

/**
 * Your own Hono app with Warm Shower mounted under `/warmshower`: the page at `/warmshower/`, the
 * API at `/warmshower/api/...`, and the CLI reaches it with `--server http://host:port/warmshower`.
 */
export function createTeamApp(): Hono {
  const app = new Hono();
  app.get('/', (c) => c.text('Team portal. Warm Shower lives under /warmshower/.\n'));
  // A memory store and no request logs; pass `store: new RedisStore(...)` to share sessions between
  // processes. `staticRoot` serves the page at the mount point: every URL in it is relative.
  app.route('/warmshower', createApp({ logger: false, staticRoot: webRoot }));
  return app;
}
