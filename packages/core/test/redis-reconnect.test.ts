import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Warmshower, type SessionFact } from '../src/index.js';
import { RedisStore } from '../src/redis/index.js';
import { testPrefix } from '../../../test-support/redis.js';
import { eventually } from '../../../test-support/eventually.js';

// This suite starts and stops a Redis server of its own, so the shared one is never disturbed.
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
}

async function stopRedis(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGKILL');
  await once(server, 'exit');
}

const suite = hasRedisServer ? describe : describe.skip;
const title = hasRedisServer
  ? 'RedisStore across a Redis restart'
  : 'RedisStore across a Redis restart (skipped: no redis-server binary to start a private Redis)';

suite(title, () => {
  let server: ChildProcess | null = null;
  let store: RedisStore | null = null;

  afterEach(async () => {
    await store?.close();
    if (server) await stopRedis(server);
  });

  it('answers STORE_UNAVAILABLE while Redis is down, then works and hears facts again once it is back', async () => {
    const port = await freePort();
    server = startRedis(port);
    store = new RedisStore({ url: `redis://127.0.0.1:${port}`, prefix: testPrefix('reconnect') });
    const ws = new Warmshower({ store });
    await eventually(() => store!.ping(), 10_000);
    const code = '100200';
    const heard: SessionFact[] = [];
    await store.subscribe(code, (fact) => heard.push(fact));
    const newSession = () => {
      const now = Date.now();
      const times = { createdAt: now, expiresAt: now + 60_000, ttlSeconds: 60 };
      return store!.createSession({ code, hostTokenHash: 'h', ...times, delivery: 'live', encryption: 'none' }, now);
    };
    expect(await newSession()).toBe(true);

    await stopRedis(server);
    await expect(ws.getSession(code)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(ws.join(code, { displayName: 'Ada' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

    server = startRedis(port);
    await eventually(() => store!.ping(), 10_000);
    // The restarted Redis kept nothing; the same subscription hears the new session's facts.
    expect(await newSession()).toBe(true);
    let n = 0;
    await eventually(async () => {
      const joinedAt = Date.now();
      const participant = { id: `p${n}`, displayName: `P${n}`, nameKey: `p${n}`, tokenHash: `t${n}`, joinedAt, publicKey: null };
      await store!.join(code, participant, joinedAt, { maxParticipants: 250 });
      n++;
      expect(heard.filter((fact) => fact.type === 'joined').length).toBeGreaterThan(0);
    }, 10_000);
    expect((await ws.getSession(code)).participantCount).toBeGreaterThan(0);
  });
});
