import { serve } from '@hono/node-server';
import { createTeamApp } from './app.js';

const port = Number(process.env.PORT ?? 8787);
serve({ fetch: createTeamApp().fetch, port, hostname: '127.0.0.1' }, ({ port }) => {
  console.log(`Team portal on http://127.0.0.1:${port}/, Warm Shower at http://127.0.0.1:${port}/warmshower/`);
});
