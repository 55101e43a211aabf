import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export interface RedisClientOptions {
  /** How long a command may wait, Redis down included, before it fails. Default 2000 ms. */
  commandTimeout?: number;
}

export interface ConnectRedisOptions extends RedisClientOptions {
  /** Hears the client's connection errors from the first moment (ioredis logs unheard ones). */
  onError?: (error: Error) => void;
}

export interface ConnectedRedis {
  /** Ready to use; the caller quits it. */
  client: Redis | Cluster;
  /** Whether the server said `cluster_enabled:1`, so `client` is a `Cluster`. */
  cluster: boolean;
}

/**
 * The options of every connection Warm Shower opens to a Redis (or to each node of a cluster):
 * commands fail fast while Redis is down, so hosts answer 503, and the client keeps reconnecting.
 * A command whose caller has been told it failed is never sent later: no offline queue (ioredis
 * would send a queued command on reconnecting, timed out or not; RedisStore waits for `ready`
 * itself instead, see ready.ts) and no resending of what was unanswered when a connection
 * dropped (a send refused with 503 must not land a minute later). A Cluster's node connections
 * keep the offline queue ioredis gives them; the Cluster itself refuses commands while not ready.
 */
export function redisClientOptions(options: RedisClientOptions = {}): RedisOptions {
  return {
    // 0: what was unanswered when a connection dropped fails at once. With 1, ioredis fails it only
    // on every second drop, and otherwise keeps it for a resend that autoResendUnfulfilledCommands
    // (off) never makes: the caller waited out the command timeout for a 503 (2 s mid-send).
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeout ?? 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 50, 1000),
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    // No auto-pipelining: RedisStore batches its writes itself (batch.ts), without the objects
    // ioredis builds around each batch.
  };
}

/**
 * A Redis URL (or a comma-separated list of them) fit for messages and logs: each password
 * replaced by `***`.
 */
export function redactRedisUrl(url: string): string {
  return url
    .split(',')
    .map((one) => one.trim())
    .map((one) => {
      try {
        const parsed = new URL(one);
        if (parsed.password) parsed.password = '***';
        return parsed.toString();
      } catch {
        // Unparsable: only repeat it if it cannot hold credentials.
        return one.includes('@') ? 'the given Redis URL' : one;
      }
    })
    .join(', ');
}

/**
 * Connects to the first of `urls` that answers (a list, or one string of comma-separated URLs),
 * asks it `INFO cluster`, and resolves with a ready client: a `Redis` for a plain server, or a
 * `Cluster` over every given node (sharded pub/sub on) when it says `cluster_enabled:1`.
 * Rejects with one sentence naming the URLs when none answers.
 */
export async function connectRedis(urls: string | readonly string[], options: ConnectRedisOptions = {}): Promise<ConnectedRedis> {
  const list = (typeof urls === 'string' ? urls.split(',') : [...urls])
    .map((url) => url.trim())
    .filter(Boolean)
    .map(redisUrl);
  if (list.length === 0) throw new Error('No Redis URL was given.');
  let reason = '';
  for (const url of list) {
    let clusterEnabled: boolean;
    try {
      clusterEnabled = await askClusterEnabled(url, options.commandTimeout ?? 2000);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      continue;
    }
    const client = clusterEnabled ? clusterClient(list, options) : new Redis(url, { ...redisClientOptions(options), lazyConnect: true });
    if (options.onError) client.on('error', options.onError);
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      reason = error instanceof Error ? error.message : String(error);
      continue;
    }
    return { client, cluster: clusterEnabled };
  }
  const where = list.map(redactRedisUrl).join(', ');
  throw new Error(`No Redis answers at ${where}${reason ? ` (${reason.replace(/\.$/, '')})` : ''}.`);
}

/**
 * A Redis URL as `connectRedis` takes it: redis:// or rediss:// with a host, `127.0.0.1:7000` taken
 * as `redis://127.0.0.1:7000`; `null` for anything else (for callers that check settings first).
 */
export function redisUrlOf(given: string): string | null {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `redis://${given}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return /^rediss?:$/.test(parsed.protocol) && parsed.hostname ? url : null;
}

/** A Redis URL as given (see `redisUrlOf`), or a sentence naming it. */
function redisUrl(given: string): string {
  const url = redisUrlOf(given);
  if (url === null) {
    const shown = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `redis://${given}`;
    throw new Error(`${redactRedisUrl(shown)} is not a Redis URL: give redis://host:port (rediss:// for TLS), or host:port.`);
  }
  return url;
}

/** One short-lived connection that never retries: does this server run in cluster mode? */
async function askClusterEnabled(url: string, timeout: number): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeout,
    commandTimeout: timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The connection's own error (ECONNREFUSED, WRONGPASS…) says more than "Connection is closed".
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    return /^cluster_enabled:1\s*$/m.test(await probe.info('cluster'));
  } catch (error) {
    throw cause ?? error;
  } finally {
    probe.disconnect();
  }
}

/** A Cluster client over every given node; credentials and TLS come from the first URL. */
function clusterClient(urls: string[], options: RedisClientOptions): Cluster {
  const nodes = urls.map((url) => {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 6379) };
  });
  const first = new URL(urls[0]!);
  // No auto-pipelining on a cluster either: with ioredis 5.11 it left scripts without an answer
  // there (the store contract timed out), so each command keeps its own write.
  const redisOptions: RedisOptions = {
    ...redisClientOptions(options),
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const clusterOptions: ClusterOptions = {
    redisOptions,
    lazyConnect: true,
    enableReadyCheck: true,
    // SSUBSCRIBE on the master of each channel's slot, so fan-out scales with the shards.
    shardedSubscribers: true,
    // ioredis follows a failover only when it refreshes its slot map; a process that only listens
    // would never learn of one, and its sharded subscriptions on that shard would stay lost.
    slotsRefreshInterval: 1000,
    // While the whole cluster is away a command would wait in the offline queue forever (the
    // command timeout only starts once a node has it); fail it at once instead, as a 503.
    enableOfflineQueue: false,
    // Keeps trying while the whole cluster is away, at most every 2 s.
    clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
  };
  const cluster = new Cluster(nodes, clusterOptions);
  // After a failover Redis 7 pushes SUNSUBSCRIBE to the old master's sharded subscribers, which
  // ioredis 5.11 reports as a node error and nothing more. Refresh the slot map at once, and once
  // more a moment later (the node asked may not have heard of the promotion yet): the subscriber
  // group then moves the channels to the new master and emits 'subscribersReady'.
  const refresh = () => {
    if (cluster.status === 'ready') cluster.refreshSlotsCache();
  };
  let again: NodeJS.Timeout | undefined;
  cluster.on('nodeError', () => {
    refresh();
    again ??= setTimeout(() => {
      again = undefined;
      refresh();
    }, 300).unref();
  });
  return cluster;
}
