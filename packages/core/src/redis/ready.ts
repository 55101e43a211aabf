import type { Redis } from 'ioredis';

/** The 'ready' each connection is waiting for: one listener however many commands wait. */
const waiting = new WeakMap<Redis, Promise<void>>();

function nextReady(connection: Redis): Promise<void> {
  let ready = waiting.get(connection);
  if (!ready) {
    ready = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        waiting.delete(connection);
        connection.off('ready', onReady);
        connection.off('end', onEnd);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onEnd = () => settle(new Error('Connection is closed.'));
      connection.on('ready', onReady);
      connection.on('end', onEnd);
    });
    ready.catch(() => undefined);
    waiting.set(connection, ready);
  }
  return ready;
}

/** True when a plain Redis connection takes a command now (a client that tells no status, ioredis-mock, always does). */
export const isReady = (connection: Redis): boolean => connection.status === 'ready' || connection.status === undefined;

/**
 * Resolves once a plain Redis connection can take a command, or rejects within `ms`. Warm Shower's
 * connections have no offline queue (`redisClientOptions`): a command is written only when it can
 * be answered, so one whose caller has been told it failed can never run later.
 */
export async function whenReady(connection: Redis, ms: number): Promise<void> {
  if (isReady(connection)) return;
  if (connection.status === 'end') throw new Error('Connection is closed.');
  if (connection.status === 'wait') connection.connect().catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      nextReady(connection),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not become ready within ${ms} ms (${connection.status}).`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
