import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { MemoryStore, Warmshower, type Store } from '@warmshower/core';
import { connectRedis, RedisStore } from '@warmshower/core/redis';
import type { Cluster, Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { createApp, type AppOptions, type WarmshowerApp } from './app.js';

export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on. Default `0.0.0.0`. */
  host?: string;
  /**
   * Use Redis instead of this process's memory: an ioredis URL (`redis://host:port/db`), or the
   * nodes of a Redis Cluster (one URL or a comma-separated list), found out by asking the server.
   */
  redisUrl?: string;
  /** Prefix of every Redis key (sessions and rate limits). Default `ws`. */
  redisPrefix?: string;
  /** Lifetime of sessions created without `ttlSeconds`. Default 3600. */
  ttlSeconds?: number;
  /** A directory of static files served at `/` (the built web page). */
  staticRoot?: string;
  /** Request logs; `false` for none. Default: pino on stdout. */
  logger?: Logger | false;
  /** Per-address limits, or `false` for none. */
  rateLimits?: AppOptions['rateLimits'];
  /** Milliseconds between `: ping` comments on idle streams. Default 15000. */
  heartbeatMs?: number;
}

export interface RunningServer {
  /** Where the server answers, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  store: 'memory' | 'redis' | 'redis-cluster';
  /** The Hono app, for stats and tests. */
  app: WarmshowerApp;
  /** Ends open streams, stops listening and releases the store's connections. */
  close(): Promise<void>;
}

/** Starts the Warm Shower API (and page) on Node, over memory or Redis. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '0.0.0.0';
  const prefix = options.redisPrefix ?? 'ws';
  const logger = options.logger === undefined ? pino() : options.logger;
  let store: Store;
  let redis: Redis | Cluster | undefined;
  let cluster = false;
  if (options.redisUrl) {
    let reported = false;
    const onError = (error: Error) => {
      if (reported) return; // one line per outage, not one per reconnection attempt
      reported = true;
      if (logger) logger.warn({ err: { type: error.name, message: error.message } }, 'redis connection error');
    };
    // One client for the store and the rate limits, so that every process shares both.
    ({ client: redis, cluster } = await connectRedis(options.redisUrl, { onError }));
    redis.on('ready', () => (reported = false));
    store = new RedisStore({ client: redis, prefix, onError });
  } else {
    store = new MemoryStore();
  }
  let warmshower: Warmshower;
  try {
    warmshower = new Warmshower({ store, defaultTtlSeconds: options.ttlSeconds });
  } catch (error) {
    redis?.disconnect(); // a bad ttlSeconds: do not leave a connection behind
    throw error;
  }
  const app = createApp({
    warmshower,
    logger,
    staticRoot: options.staticRoot,
    heartbeatMs: options.heartbeatMs,
    rateLimits:
      options.rateLimits === false
        ? false
        : { ...options.rateLimits, ...(redis ? { redis, keyPrefix: `${prefix}:limit` } : {}) },
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
  });

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname: host }, () => resolve(s));
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    // Port taken, say: release the store before reporting it.
    await store.close().catch(() => undefined);
    redis?.disconnect();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    store: !options.redisUrl ? 'memory' : cluster ? 'redis-cluster' : 'redis',
    app,
    close: () =>
      (closing ??= (async () => {
        await app.closeStreams();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await store.close().catch(() => undefined);
        if (redis) await redis.quit().catch(() => redis?.disconnect());
      })()),
  };
}

export { createApp } from './app.js';
export type { AppOptions, AppStats, WarmshowerApp } from './app.js';
