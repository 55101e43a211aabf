/**
 * `bench:split`'s HTTP layer alone: our built server (memory store) whose `send` answers at once
 * with a fixed receipt, without a session, a store or a delivery. A request costs it what
 * @hono/node-server, Hono, our middleware and the route cost, and nothing more. It reports
 * `{ url }` over IPC and answers `stats` and `close` like test/fixtures/server-process.ts.
 */
import pino from 'pino';
import type { startServer as Start } from '../src/node/index.js';

const { startServer } = (await import(new URL('../dist/node.js', import.meta.url).href)) as { startServer: typeof Start };
const server = await startServer({ port: 0, host: '127.0.0.1', rateLimits: false, logger: pino({ level: 'warn' }, pino.destination(2)) });
server.app.warmshower.send = async (_code, _token, input) => ({
  id: 'AAAAAAAAAAAA',
  to: (input as { to: string }).to,
  sentCount: 1,
  remaining: 8,
  complete: false,
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send!({ type: 'stats', openStreams: 0, memory: process.memoryUsage(), cpu: process.cpuUsage() });
  else if (message.type === 'close') void server.close().then(() => process.send!({ type: 'closed' }, () => process.exit(0)));
});
process.send!({ type: 'listening', url: server.url, store: 'memory' });
