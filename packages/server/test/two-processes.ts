// What two server processes on one shared store must do for each other's clients, run on one
// Redis (redis-processes.test.ts) and on a Redis Cluster (redis-cluster.test.ts).

import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ServerOptions } from '../src/node/index.js';
import { client, eventually, openStream } from './helpers.js';
import { startServerProcess, type ServerProcess } from './fixtures/processes.js';
import { redisUrl, testPrefix } from '../../../test-support/redis.js';

export interface TwoProcesses {
  /** The key prefix of both. */
  prefix: string;
  a: ServerProcess;
  b: ServerProcess;
  /** A client of the shared Redis, for checks. */
  redis: Redis;
}

/**
 * Two server processes on the suites' Redis under a prefix of their own, started before the
 * suite's tests; after them both are closed (unless a test killed one) and their keys deleted.
 */
export function twoProcessesOnRedis(name: string, options: ServerOptions = {}): TwoProcesses {
  const both = { prefix: testPrefix(name) } as TwoProcesses;
  beforeAll(async () => {
    const all = { redisUrl, redisPrefix: both.prefix, ...options };
    [both.a, both.b] = await Promise.all([startServerProcess(all), startServerProcess(all)]);
    both.redis = new Redis(redisUrl);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([both.a?.close(), both.b?.close()]);
    if (both.redis) {
      const keys = await both.redis.keys(`${both.prefix}:*`);
      if (keys.length) await both.redis.del(...keys);
      both.redis.disconnect();
    }
  });
  return both;
}

/**
 * A participant and the host streaming from A receive what is sent through B (message, progress,
 * presence of a participant on B); ending through B closes every stream on both. Resolves with
 * the session's code once both processes hold no stream, for the caller's checks of what is left.
 */
export async function deliverAcross(a: ServerProcess, b: ServerProcess): Promise<string> {
  const viaA = client(a.url);
  const viaB = client(b.url);
  const session = await viaA.session(600);
  const ada = await viaB.join(session.code, 'Ada');
  const bo = await viaA.join(session.code, 'Bo');
  const events = (base: string, token: string) =>
    openStream(`${base}/api/sessions/${session.code}/events`, { authorization: `Bearer ${token}` });
  const boOnA = await events(a.url, bo.token);
  const hostOnA = await events(a.url, session.hostToken);
  const adaOnB = await events(b.url, ada.token);
  await Promise.all([boOnA.next('ready'), hostOnA.next('ready'), adaOnB.next('ready')]);
  // Presence travels too: Ada (on B) sees Bo, who is online on A.
  expect((await adaOnB.next('ready')).data.participants.find((p: { id: string }) => p.id === bo.id).online).toBe(true);

  const sent = await viaB.send(session.code, ada.token, bo.id, 'Shipped it together, thank you');
  expect(sent.status).toBe(201);
  expect((await boOnA.next('message')).data).toMatchObject({ id: sent.body.id, text: 'Shipped it together, thank you' });
  expect((await hostOnA.next('progress', 2)).data).toEqual({ sent: 1, possible: 2 });
  expect((await adaOnB.next('complete')).data).toEqual({ sentCount: 1 });

  expect((await viaB.end(session.code, session.hostToken)).status).toBe(204);
  for (const s of [boOnA, hostOnA, adaOnB]) {
    expect((await s.next('session-ended')).data).toEqual({ reason: 'ended' });
    await s.waitEnd();
  }
  await eventually(async () => (await a.stats()).openStreams === 0 && (await b.stats()).openStreams === 0, 5000, 'streams closed');
  return session.code;
}
