import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { MemoryStore, Warmshower, type Screen, type Store } from '@warmshower/core';
import { connectRedis, defaultRedisPrefix, redactRedisUrl, RedisStore } from '@warmshower/core/redis';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TrustProxy } from '../addresses.js';
import { createApp, type AppOptions, type WarmshowerApp } from '../app.js';
import { joinUrlFor, publicBase } from '../info.js';
import { defaultLogger, isLogLevel, logLevels, type LogLevel } from '../logging.js';
import { screenFor, type Filter } from '../screens.js';
import { isAnyHost, networkAddresses, originOf } from './network.js';
import { nodeRuntime } from './runtime.js';

export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on. Default `0.0.0.0` (every one). */
  host?: string;
  /** Use Redis instead of this process's memory: one URL, or cluster nodes (a list, or comma-separated). */
  redisUrl?: string | readonly string[];
  /** Prefix of every Redis key (sessions and rate limits). Default `ws`. */
  redisPrefix?: string;
  /** Lifetime of sessions created without `ttlSeconds`. Default 3600. */
  ttlSeconds?: number;
  /** A directory of static files served at `/` (the built web page). */
  staticRoot?: string;
  /** Request logs; `false` for none. Default: pino on stdout at `logLevel`. */
  logger?: Logger | false;
  /** `error`, `warn`, `info` (default; request lines) or `debug`. */
  logLevel?: LogLevel;
  /** Per-address limits, or `false` for none. */
  rateLimits?: AppOptions['rateLimits'];
  /** Milliseconds between `: ping` comments on idle streams. Default 15000. */
  heartbeatMs?: number;
  /** The URL people reach the app at (behind a proxy, or a name): join links start with it. */
  publicUrl?: string;
  /** Which proxies to believe about clients (SPEC §8). Default: none. */
  trustProxy?: TrustProxy;
  /** People a session may hold, 2 to 1000. Default 250. */
  maxParticipants?: number;
  /** Event streams this process holds at most. Default 10,000. */
  maxStreams?: number;
  /** A kept screen for texts (rule 12): `profanity`. */
  filter?: Filter;
  /** A screen of your own (rule 12), instead of or besides `filter`. */
  screen?: Screen;
  /** Other origins whose pages may post to the API. */
  allowedOrigins?: string[];
}

export interface RunningServer {
  /** A loopback URL that reaches the server, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  store: 'memory' | 'redis' | 'redis-cluster';
  /** What people can open: the public URL, else `http://localhost:<port>` and one URL per network address. */
  urls: string[];
  /** What `GET /api/info` answers a request that came over loopback. */
  joinUrl: string;
  /** True when `joinUrl` points at this machine only: other devices cannot open it. */
  joinUrlIsLoopback: boolean;
  /** The Hono app, for stats and tests. */
  app: WarmshowerApp;
  /** Ends open streams, stops listening and releases the store's connections. */
  close(): Promise<void>;
}

/** Starts the Warm Shower API (and page) on Node, over memory, Redis or a Redis Cluster. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '0.0.0.0';
  const prefix = options.redisPrefix ?? defaultRedisPrefix;
  const level = options.logLevel ?? 'info';
  if (!isLogLevel(level)) throw new RangeError(`The log level must be one of ${logLevels.join(', ')}; got "${String(level)}".`);
  const logger = options.logger === undefined ? defaultLogger(level) : options.logger;
  const publicUrl = options.publicUrl === undefined ? undefined : publicBase(options.publicUrl);
  const screen = combine(options.filter ? screenFor(options.filter) : undefined, options.screen);
  let running: WarmshowerApp | undefined;
  let store: Store;
  let redis: Redis | Cluster | undefined;
  let kind: RunningServer['store'] = 'memory';
  if (options.redisUrl && options.redisUrl.length > 0) {
    let reported = false;
    const onError = (error: Error) => {
      // Once the app runs, its outage log says it once, with the requests that fail meanwhile.
      if (running) return running.storeFailed(error);
      if (reported) return; // one line per outage, not one per reconnection attempt
      reported = true;
      if (logger) logger.warn({ err: { type: error.name, message: error.message } }, 'redis connection error');
    };
    const connected = await connectRedis(options.redisUrl, { onError });
    redis = connected.client;
    redis.on('ready', () => (reported = false));
    kind = connected.cluster ? 'redis-cluster' : 'redis';
    store = new RedisStore({ client: redis, prefix, onError });
  } else {
    store = new MemoryStore();
  }
  const release = async () => {
    await store.close().catch(() => undefined);
    if (redis) await redis.quit().catch(() => redis?.disconnect());
  };

  let port = options.port ?? 3000;
  // Join links need this machine's network address when we listen on every interface.
  const lan = isAnyHost(host) ? networkAddresses()[0] : undefined;
  const networkOrigin = () => (lan ? originOf(lan, port) : null);
  let app: WarmshowerApp;
  let server: ServerType;
  try {
    const warmshower = new Warmshower({ store, defaultTtlSeconds: options.ttlSeconds, maxParticipants: options.maxParticipants, screen });
    app = createApp({
      warmshower,
      logger,
      staticRoot: options.staticRoot,
      heartbeatMs: options.heartbeatMs,
      maxStreams: options.maxStreams,
      trustProxy: options.trustProxy,
      publicUrl,
      networkOrigin,
      allowedOrigins: options.allowedOrigins,
      runtime: nodeRuntime((error) => logger && logger.debug({ err: { type: error.name, message: error.message } }, 'stream error')),
      rateLimits: options.rateLimits === false ? false : { ...options.rateLimits, ...(redis ? { redis, keyPrefix: `${prefix}:limit` } : {}) },
    });
    running = app;
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    // A bad option, or the port is taken: release the store before reporting it.
    await release();
    throw error;
  }
  port = (server.address() as AddressInfo).port;

  const loopbackHost = isAnyHost(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${loopbackHost}:${port}`;
  const urls = publicUrl
    ? [publicUrl]
    : isAnyHost(host)
      ? [`http://localhost:${port}`, ...networkAddresses().map((address) => originOf(address, port))]
      : [url];
  const join = joinUrlFor(url, '/', { publicUrl, networkOrigin: networkOrigin() });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store: kind,
    urls,
    joinUrl: join.joinUrl,
    joinUrlIsLoopback: join.loopback,
    app,
    close: () =>
      (closing ??= (async () => {
        await app.closeStreams();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await release();
      })()),
  };
}

/** Two screens as one: the first refusal wins. */
function combine(first: Screen | undefined, second: Screen | undefined): Screen | undefined {
  if (!first || !second) return first ?? second;
  return async (text) => (await first(text)) ?? (await second(text));
}

export { createApp } from '../app.js';
export type { AppOptions, AppStats, WarmshowerApp } from '../app.js';
export { networkAddresses } from './network.js';
export { nodeRuntime } from './runtime.js';
export { redactRedisUrl };
