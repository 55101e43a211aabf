import type { Cluster, Redis } from 'ioredis';

export type Connection = Redis | Cluster;

/** What a subscriber tells its store. */
export interface SubscriberEvents {
  message(channel: string, payload: string): void;
  /** The subscription was interrupted and is back: what was published meanwhile was lost. */
  resumed(): void;
  error(error: Error): void;
}

/** One connection (or, on a cluster, one per shard) that listens to every session a store follows. */
export interface Subscriber {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  close(): Promise<void>;
}

const isCluster = (client: Connection): client is Cluster => (client as { isCluster?: boolean }).isCluster === true;

/**
 * A subscriber on its own connection: plain pub/sub on one Redis, sharded pub/sub (SSUBSCRIBE, so
 * each session's facts travel on its own shard) on a Redis Cluster. ioredis resubscribes by itself
 * after a reconnection; we make sure of it, then report `resumed` so the store's listeners re-read
 * what they may have missed.
 */
export function createSubscriber(client: Connection, events: SubscriberEvents): Subscriber {
  const sharded = isCluster(client);
  const connection = client.duplicate() as Connection;
  const channels = new Set<string>();
  let interrupted = false;
  let closed = false;
  connection.on('error', (error: Error) => events.error(error));
  connection.on(sharded ? 'smessage' : 'message', (channel: string, payload: string) => events.message(channel, payload));
  const lost = () => {
    if (!closed) interrupted = true;
  };
  connection.on('close', lost);
  connection.on('end', lost);
  connection.on('ready', () => {
    if (!interrupted || closed) return;
    interrupted = false;
    void resubscribe().then(
      () => events.resumed(),
      () => (interrupted = true), // not back yet: the next 'ready' tries again
    );
  });
  const command = (name: 'subscribe' | 'unsubscribe', list: string[]) =>
    sharded
      ? (connection as Cluster)[name === 'subscribe' ? 'ssubscribe' : 'sunsubscribe'](...list)
      : (connection as Redis)[name](...list);
  const resubscribe = async () => {
    if (channels.size > 0) await command('subscribe', [...channels]);
  };

  return {
    async subscribe(channel) {
      channels.add(channel);
      await command('subscribe', [channel]);
    },
    async unsubscribe(channel) {
      channels.delete(channel);
      await command('unsubscribe', [channel]).catch(() => undefined);
    },
    async close() {
      closed = true;
      channels.clear();
      try {
        await connection.quit();
      } catch {
        connection.disconnect();
      }
    },
  };
}
