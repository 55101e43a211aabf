import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';
import { cli, events, openSession, redisPrefix, serve, start, type Running } from './helpers.js';

describeWithRedisCluster('serve on a Redis Cluster', () => {
  let cluster: RedisCluster;
  const running: Running[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop('SIGKILL')));
    await cluster?.stop();
  });

  test('serve says which cluster it uses: every node given, or one seed', async () => {
    const prefix = redisPrefix('cluster');
    const all = await serve({ args: ['--redis-url', cluster.urls.join(','), '--redis-prefix', prefix] });
    const seed = await serve({ args: ['--redis-url', cluster.url, '--redis-prefix', prefix] });
    running.push(all, seed);
    expect(all.stdout).toContain(`Store: a Redis Cluster of 3 nodes at ${cluster.urls.join(', ')}, keys under ${prefix}:.`);
    expect(seed.stdout).toContain(`Store: a Redis Cluster at ${cluster.url}, keys under ${prefix}:.`);
  });

  test('two serve processes on one cluster deliver to each other, from the first stream on', async () => {
    const prefix = redisPrefix('cluster-delivery');
    const all = await serve({ args: ['--redis-url', cluster.urls.join(','), '--redis-prefix', prefix] });
    const seed = await serve({ args: ['--redis-url', cluster.url, '--redis-prefix', prefix] });
    running.push(all, seed);
    const { code, hostToken, people } = await openSession({ WARMSHOWER_URL: all.url }, [], ['Ada', 'Bob']);
    const ada = start(['listen', code, '--json'], { WARMSHOWER_URL: all.url, WARMSHOWER_TOKEN: people.Ada!.token });
    running.push(ada);
    await ada.until((l) => l.stdout.includes('"event":"ready"') || l.child.exitCode !== null, 'Ada ready');
    expect(ada.stderr).toBe('');
    const via = { WARMSHOWER_URL: seed.url, WARMSHOWER_TOKEN: people.Bob!.token };
    expect(await cli(['send', code, '--to', 'Ada', '--text', 'Across the slots.'], { env: via })).toMatchObject({ exitCode: 0 });
    await ada.until((l) => events(l.stdout).some((e) => e.event === 'message'), 'the message through the cluster');
    expect(await cli(['end', code], { env: { WARMSHOWER_URL: seed.url, WARMSHOWER_TOKEN: hostToken } })).toMatchObject({ exitCode: 0 });
    expect(await ada.exited).toBe(0);
    expect(events(ada.stdout).find((e) => e.event === 'message')?.data.text).toBe('Across the slots.');
  });
});
