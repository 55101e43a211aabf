import { once } from 'node:events';
import { createServer } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, redactRedisUrl, type ConnectedRedis } from '../src/redis/index.js';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';
import { describeWithRedisCluster, startRedisCluster, type RedisCluster } from '../../../test-support/redis-cluster.js';

/** A loopback port nothing listens on (just released by the OS). */
async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('redactRedisUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactRedisUrl('redis://user:s3cret@example.com:6380/2')).toBe('redis://user:***@example.com:6380/2');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('redacts each URL of a list of cluster nodes', () => {
    expect(redactRedisUrl('redis://:pw@10.0.0.1:7000,redis://:pw@10.0.0.2:7000')).toBe('redis://:***@10.0.0.1:7000, redis://:***@10.0.0.2:7000');
  });

  it('never repeats an unreadable URL that may hold a password', () => {
    expect(redactRedisUrl('::not a url with p@ss')).toBe('the given Redis URL');
  });
});

describe('connectRedis without a Redis', () => {
  it('refuses a list with a URL that is not a Redis URL, naming it in a sentence, before connecting to any', async () => {
    await expect(connectRedis(['127.0.0.1:6379', 'redis://[broken'])).rejects.toThrow(
      'redis://[broken is not a Redis URL: give redis://host:port (rediss:// for TLS), or host:port.',
    );
    await expect(connectRedis('http://127.0.0.1:6379')).rejects.toThrow(/^http:\/\/127\.0\.0\.1:6379\/? is not a Redis URL/);
    await expect(connectRedis('redis://:secret@[broken')).rejects.toThrow(/^the given Redis URL is not a Redis URL/);
  });

  it('says in one sentence that no node answers, without the password', async () => {
    const [a, b] = [await deadPort(), await deadPort()];
    const attempt = connectRedis(`redis://:s3cret@127.0.0.1:${a}, redis://127.0.0.1:${b}`);
    await expect(attempt).rejects.toThrow(`No Redis answers at redis://:***@127.0.0.1:${a}, redis://127.0.0.1:${b}`);
    await expect(attempt).rejects.toThrow(/ECONNREFUSED/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});

describeWithRedis('connectRedis on a plain Redis', () => {
  const open: ConnectedRedis[] = [];
  afterAll(async () => {
    await Promise.all(open.map(({ client }) => client.quit()));
  });

  it('gives a plain Redis client, cluster: false', async () => {
    const connected = await connectRedis(redisUrl);
    open.push(connected);
    expect(connected.cluster).toBe(false);
    expect(connected.client).toBeInstanceOf(Redis);
    expect(await connected.client.ping()).toBe('PONG');
  });

  it('skips a node that does not answer and takes the next one', async () => {
    const connected = await connectRedis([`redis://127.0.0.1:${await deadPort()}`, redisUrl]);
    open.push(connected);
    expect(connected.cluster).toBe(false);
    const key = `${testPrefix('connect')}:k`;
    await connected.client.set(key, 'v', 'PX', 5000);
    expect(await connected.client.get(key)).toBe('v');
  });
});

describeWithRedisCluster('connectRedis on a Redis Cluster', () => {
  let cluster: RedisCluster;
  const open: ConnectedRedis[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  });
  afterAll(async () => {
    await Promise.all(open.map(({ client }) => client.quit().catch(() => undefined)));
    await cluster?.stop();
  });

  /** Keys of sessions on every master: each hash tag is one slot, and these land on all three. */
  async function keysOnEveryMaster(): Promise<string[]> {
    const keys: string[] = [];
    const masters = new Set<number>();
    for (let code = 100000; masters.size < 3; code++) {
      const key = `ws:{${code}}:session`;
      const { port } = await cluster.masterOf(key);
      if (!masters.has(port)) keys.push(key);
      masters.add(port);
    }
    return keys;
  }

  it.each([
    ['one node URL', () => cluster.url],
    ['a comma-separated list of nodes', () => cluster.urls.join(',')],
  ])('given %s, gives a Cluster that serves keys of every slot', async (_, urls) => {
    const connected = await connectRedis(urls());
    open.push(connected);
    expect(connected.cluster).toBe(true);
    expect(connected.client).toBeInstanceOf(Cluster);
    const keys = await keysOnEveryMaster();
    await Promise.all(keys.map((key) => connected.client.hset(key, 'code', key)));
    expect(await Promise.all(keys.map((key) => connected.client.hget(key, 'code')))).toEqual(keys);
  });
});
