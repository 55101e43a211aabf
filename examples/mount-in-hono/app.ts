import { createApp } from '@warmshower/server';
import { Hono } from 'hono';

/**
 * Your own Hono app with Warm Shower mounted under `/warmshower`: the API answers at
 * `/warmshower/api/...`, and the CLI reaches it with `--server http://host:port/warmshower`.
 */
export function createTeamApp(): Hono {
  const app = new Hono();
  app.get('/', (c) => c.text('Team portal. Warm Shower lives under /warmshower.\n'));
  // A memory store and no request logs; pass `store: new RedisStore(...)` to share sessions between processes.
  app.route('/warmshower', createApp({ logger: false }));
  return app;
}
