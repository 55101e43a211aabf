import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/node/index.js';
import { client, openStream } from './helpers.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';

describeWithRedisCluster('two servers on one Redis Cluster', () => {
  let cluster: RedisCluster;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    const options = { port: 0, host: '127.0.0.1', logger: false as const };
    // One given a single node, the other the whole list: both find out it is a cluster.
    [a, b] = await Promise.all([
      startServer({ ...options, redisUrl: cluster.url }),
      startServer({ ...options, redisUrl: cluster.urls.join(',') }),
    ]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.stop();
  });

  it('use a Cluster client, and a warm shower sent through B reaches a stream on A', async () => {
    expect([a.store, b.store]).toEqual(['redis-cluster', 'redis-cluster']);
    const [viaA, viaB] = [client(a.url), client(b.url)];
    const session = await viaA.session(600);
    const [ada, bo] = [await viaB.join(session.code, 'Ada'), await viaA.join(session.code, 'Bo')];
    const boOnA = await openStream(`${a.url}/api/sessions/${session.code}/events`, { authorization: `Bearer ${bo.token}` });
    await boOnA.next('ready');
    const sent = await viaB.send(session.code, ada.token, bo.id, 'Thank you for the review');
    expect(sent.status).toBe(201);
    expect((await boOnA.next('message')).data).toMatchObject({ id: sent.body.id, text: 'Thank you for the review' });
    expect((await viaB.end(session.code, session.hostToken)).status).toBe(204);
    expect((await boOnA.next('session-ended')).data).toEqual({ reason: 'ended' });
  });
});
