import type { Cluster, Redis } from 'ioredis';
import { whenReady } from './ready.js';

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
 * The store's subscriber: plain pub/sub on one Redis, sharded pub/sub (SSUBSCRIBE, so each
 * session's facts travel on its own shard) on a Redis Cluster. After an interruption it reports
 * `resumed`, so the store's listeners re-read what they may have missed.
 */
export function createSubscriber(client: Connection, events: SubscriberEvents): Subscriber {
  return isCluster(client) ? shardedSubscriber(client, events) : plainSubscriber(client, events);
}

/** One Redis: SUBSCRIBE on a connection of its own. */
function plainSubscriber(client: Redis, events: SubscriberEvents): Subscriber {
  // Resubscribing is ours alone (on 'ready', below): ioredis's own would also bring back channels
  // left while the connection was down. Subscriptions are not pipelined with other commands.
  const connection = client.duplicate({ autoResubscribe: false, enableAutoPipelining: false });
  const timeout = connection.options.commandTimeout ?? 2000;
  const channels = new Set<string>();
  let interrupted = false;
  let closed = false;
  connection.on('error', (error: Error) => events.error(error));
  connection.on('message', (channel: string, payload: string) => events.message(channel, payload));
  const lost = () => {
    if (!closed) interrupted = true;
  };
  connection.on('close', lost);
  connection.on('end', lost);
  connection.on('ready', () => {
    if (!interrupted || closed) return;
    interrupted = false;
    void (channels.size > 0 ? connection.subscribe(...channels) : Promise.resolve()).then(
      () => events.resumed(),
      () => (interrupted = true), // not back yet: the next 'ready' tries again
    );
  });
  return {
    async subscribe(channel) {
      channels.add(channel);
      await whenReady(connection, timeout);
      await connection.subscribe(channel);
    },
    async unsubscribe(channel) {
      channels.delete(channel);
      // While the connection is down it fails, and the channel is simply not taken back on 'ready'.
      await connection.unsubscribe(channel).catch(() => undefined);
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

/**
 * A Redis Cluster: SSUBSCRIBE through the cluster client's own sharded subscribers (one
 * connection per shard, ioredis's `shardedSubscribers`), which follow failovers when the slot
 * map is refreshed (see connect.ts); `subscribersReady` says they are in place again.
 */
function shardedSubscriber(cluster: Cluster, events: SubscriberEvents): Subscriber {
  const channels = new Set<string>();
  let closed = false;
  const onMessage = (channel: string, payload: string) => {
    if (channels.has(channel)) events.message(channel, payload);
  };
  // After a failover the subscribers are rebuilt, and while a master is down `subscribersReady`
  // fires after every attempt (hundreds a second): one catch-up once they settle is enough.
  let settle: ReturnType<typeof setTimeout> | undefined;
  const onReady = () => {
    if (closed || channels.size === 0) return;
    clearTimeout(settle);
    settle = setTimeout(() => {
      if (!closed) events.resumed();
    }, 100);
    settle.unref?.();
  };
  cluster.on('smessage', onMessage);
  cluster.on('subscribersReady', onReady);
  return {
    async subscribe(channel) {
      channels.add(channel);
      await cluster.ssubscribe(channel);
    },
    async unsubscribe(channel) {
      channels.delete(channel);
      await cluster.sunsubscribe(channel).catch(() => undefined);
    },
    async close() {
      closed = true;
      clearTimeout(settle);
      const left = [...channels];
      channels.clear();
      cluster.off('smessage', onMessage);
      cluster.off('subscribersReady', onReady);
      if (left.length > 0) await cluster.sunsubscribe(...left).catch(() => undefined);
    },
  };
}
