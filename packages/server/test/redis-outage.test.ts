import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/node/index.js';
import { client, eventually, openStream } from './helpers.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
const describeOutage = hasRedisServer || process.env.CI === 'true' ? describe : describe.skip;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** A Redis of our own that we can stop and start again with its data (an RDB in a temp dir). */
async function ownRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'warmshower-redis-'));
  const start = () =>
    execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
  const url = `redis://127.0.0.1:${port}`;
  const admin = () => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    return r;
  };
  const answers = async () => {
    const r = admin();
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  };
  start();
  await eventually(answers, 5000, 'our redis-server to start');
  return {
    url,
    admin,
    async stop() {
      const r = admin();
      await r.connect();
      await r.call('SHUTDOWN', 'SAVE').catch(() => undefined); // the connection drops as it stops
      r.disconnect();
      await eventually(async () => !(await answers()), 5000, 'redis-server to stop');
    },
    async start() {
      start();
      await eventually(answers, 5000, 'redis-server to start again');
    },
    async destroy() {
      if (await answers()) {
        const r = admin();
        await r.connect();
        await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        r.disconnect();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeOutage('when Redis goes away and comes back', () => {
  let redis: Awaited<ReturnType<typeof ownRedis>>;
  let server: RunningServer;

  beforeAll(async () => {
    if (!hasRedisServer) throw new Error('CI=true: this test needs the redis-server binary to stop and restart a Redis.');
    redis = await ownRedis();
    server = await startServer({ port: 0, host: '127.0.0.1', redisUrl: redis.url, logger: false });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await redis?.destroy();
  });

  it('requests answer 503 quickly while it is down, and open streams get new messages once it is back', async () => {
    const api = client(server.url);
    const session = await api.session(600);
    const [ada, bo, cy] = [await api.join(session.code, 'Ada'), await api.join(session.code, 'Bo'), await api.join(session.code, 'Cy')];
    const boStream = await openStream(`${server.url}/api/sessions/${session.code}/events`, { authorization: `Bearer ${bo.token}` });
    await boStream.next('ready');
    expect((await api.send(session.code, ada.token, bo.id, 'before the outage')).status).toBe(201);
    await boStream.next('message');

    await redis.stop();
    const started = Date.now();
    const refused = await api.send(session.code, cy.token, bo.id, 'during the outage');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/store cannot be reached/) } });
    for (const res of [
      await api.call('POST', '/api/sessions'),
      await api.call('POST', `/api/sessions/${session.code}/participants`),
      await api.call('GET', `/api/sessions/${session.code}`),
    ]) {
      expect(res.status).toBe(503);
    }
    // As a readiness probe asks, with its default one-second timeout (and slack for a busy machine).
    expect((await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(1600) })).status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(15_000); // answered, not hung (commands time out after 2 s)
    expect(boStream.ended).toBe(false);

    await redis.start();
    await eventually(async () => (await fetch(`${server.url}/readyz`)).status === 200, 10_000, 'the server to see Redis again');
    // The subscriber reconnects on its own; wait for it before sending, or the live fact is missed.
    const admin = redis.admin();
    await admin.connect();
    await eventually(async () => {
      const [, subscribers] = (await admin.pubsub('NUMSUB', `ws:{${session.code}}:events`)) as [string, number];
      return subscribers === 1;
    }, 10_000, 'the subscription to come back');
    admin.disconnect();
    const after = await api.send(session.code, cy.token, bo.id, 'after the outage');
    expect(after.status).toBe(201);
    const message = await boStream.next('message', 2);
    expect(message.data.text).toBe('after the outage');
    expect(boStream.ended).toBe(false);
    await boStream.close();
  });
});
