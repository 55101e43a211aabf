// Shared by the Redis suites of every package: one place that decides whether Redis is there.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeIf } from './suites.js';

/** The Redis the suites use (the machine's own by default). */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for each test file, so suites can share one Redis. */
export const testPrefix = (file: string): string => `test:${file}:${randomBytes(6).toString('hex')}`;

export async function redisAnswers(url = redisUrl): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await redisAnswers();

/** Whether the suites' Redis answers (for suites that run on memory and on Redis alike). */
export const redisAvailable = available;

/**
 * A suite that needs a real Redis. Without one it is skipped with the reason in its name, except
 * under CI=true, where a missing Redis fails the run instead of hiding it.
 */
export function describeWithRedis(title: string, body: () => void): void {
  describeIf(
    { met: available, needs: `a Redis server at ${redisUrl}`, missing: `no Redis answers at ${redisUrl}`, fix: 'start one or set REDIS_URL' },
    title,
    body,
  );
}
