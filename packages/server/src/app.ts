import { serveStatic } from '@hono/node-server/serve-static';
import { errors, isWarmshowerError, MemoryStore, Warmshower, type Screen, type Store } from '@warmshower/core';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { clientInfo, compileTrust, trustsUnseenPeer, type ClientInfo, type TrustProxy } from './addresses.js';
import { apiRoutes } from './api.js';
import { errorResponse, httpErrors, internalError } from './errors.js';
import { StreamHub } from './hub.js';
import { publicBase } from './info.js';
import { OutageLog } from './outages.js';
import { describeError, requestLog, defaultLogger } from './logging.js';
import { createRateLimits, noRateLimits, perKnownClient, type RateLimitOptions } from './rate-limits.js';
import { genericRuntime, type Runtime } from './runtime.js';

export interface AppOptions {
  /** The rules over a store. Default: a new Warmshower over `store` with the options below. */
  warmshower?: Warmshower;
  /** Where sessions live when no `warmshower` is given. Default: a new MemoryStore. */
  store?: Store;
  /** Lifetime of sessions created without `ttlSeconds` (when no `warmshower` is given). Default 3600. */
  defaultTtlSeconds?: number;
  /** People a session may hold (when no `warmshower` is given). Default 250. */
  maxParticipants?: number;
  /** Screens texts before they are stored (when no `warmshower` is given; rule 12). */
  screen?: Screen;
  /** Per-address limits of SPEC §2, or `false` for none. */
  rateLimits?: RateLimitOptions | false;
  /** Request logs; `false` for none. Default: pino at info level on stdout. */
  logger?: Logger | false;
  /** A directory of static files served at the app's root (the built web page). */
  staticRoot?: string;
  /** Which proxies to believe about the client's address and protocol (SPEC §8). Default: none. */
  trustProxy?: TrustProxy;
  /**
   * The address of the request's peer (the client, or a proxy `trustProxy` believes), for a runtime
   * whose address the app cannot read itself: `(c) => getConnInfo(c).remote.address` with the
   * runtime's Hono adapter. Default: the socket's on Node, Bun and Deno. A request whose client
   * stays unknown is not rate limited (one warning says so).
   */
  clientAddress?: (c: Context) => string | undefined;
  /** The URL people reach the app at: join links start with it, and its origin may post. */
  publicUrl?: string;
  /** This machine's network origin (`http://192.168.1.20:3000`) for join links, when the server listens on every interface. */
  networkOrigin?: () => string | null;
  /** Other origins whose pages may post to this API (an app that embeds it). */
  allowedOrigins?: string[];
  /** Milliseconds between `: ping` comments on idle streams. Default 15000. */
  heartbeatMs?: number;
  /** Event streams this process holds at most (rule 8). Default 10,000; then 503. */
  maxStreams?: number;
  /** Where the app meets its runtime; the Node entry passes its own. Default: any runtime. */
  runtime?: Runtime;
}

export interface AppStats {
  /** Event streams open right now. */
  openStreams: number;
}

/** A plain Hono app, plus what a host needs to watch it and shut it down. */
export type WarmshowerApp = Hono & {
  readonly warmshower: Warmshower;
  stats(): AppStats;
  /** Ends every open event stream and stops watching the store (for a graceful shutdown). */
  closeStreams(): Promise<void>;
  /** Tells the app its store failed outside a request (a connection error), for the outage log. */
  storeFailed(cause: unknown): void;
};

/**
 * The Warm Shower HTTP API (SPEC §2) and event streams (§3) under `/api`, `/healthz`, `/readyz`,
 * and the page at `/` when `staticRoot` is given. Mount it anywhere: `app.route('/x', createApp())`.
 */
export function createApp(options: AppOptions = {}): WarmshowerApp {
  const warmshower =
    options.warmshower ??
    new Warmshower({
      store: options.store ?? new MemoryStore(),
      defaultTtlSeconds: options.defaultTtlSeconds,
      maxParticipants: options.maxParticipants,
      screen: options.screen,
    });
  const logger = options.logger === false ? null : (options.logger ?? defaultLogger());
  const runtime = options.runtime ?? genericRuntime;
  const trust = compileTrust(options.trustProxy);
  const unseenPeerTrusted = trustsUnseenPeer(options.trustProxy);
  const peerAddress = options.clientAddress ?? runtime.remoteAddress;
  const publicUrl = options.publicUrl ? publicBase(options.publicUrl) : undefined;
  const hub = new StreamHub({ heartbeatMs: options.heartbeatMs, maxStreams: options.maxStreams });
  const clients = new WeakMap<Context, ClientInfo>();
  const clientOf = (c: Context): ClientInfo => {
    let info = clients.get(c);
    if (!info) {
      info = clientInfo(trust, peerAddress(c), (name) => runtime.header(c, name), new URL(c.req.url).protocol, unseenPeerTrusted);
      clients.set(c, info);
    }
    return info;
  };
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((origin) => origin.toLowerCase().replace(/\/$/, '')));
  if (publicUrl) allowedOrigins.add(new URL(publicUrl).origin);

  let warnedUnknownClient = false;
  const outages = new OutageLog(logger, () => withTimeout(warmshower.store.ping(), 2000), () => warmshower.clock.now());
  /** Requests answered 503 because the store is away: the outage is logged once, not per request. */
  const storeFailures = new WeakSet<Context>();

  const app = new Hono();
  app.onError((error, c) => {
    if (isWarmshowerError(error)) {
      if (error.code === 'STORE_UNAVAILABLE') {
        outages.failed(error.cause);
        storeFailures.add(c);
      }
      // The writer reads that it could not be checked; the operator needs to know why.
      if (error.code === 'MESSAGE_REFUSED' && error.cause !== undefined) logger?.error({ err: describeError(error.cause) }, 'screen failed');
      return errorResponse(c, error);
    }
    if (error instanceof HTTPException && error.status < 500) {
      if (error.status === 413) return errorResponse(c, httpErrors.payloadTooLarge());
      if (error.status === 404) return errorResponse(c, httpErrors.routeNotFound());
      return errorResponse(c, httpErrors.unreadable());
    }
    // A bug of ours. The error's own message and stack, never the request.
    logger?.error({ err: describeError(error), route: routePath(c) || '(none)' }, 'unexpected error');
    return errorResponse(c, internalError());
  });
  app.notFound((c) => errorResponse(c, httpErrors.routeNotFound()));
  if (logger) app.use(requestLog(logger, (c) => storeFailures.has(c)));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await withTimeout(warmshower.store.ping(), READY_MS);
      outages.answered();
      return c.json({ status: 'ok' });
    } catch (cause) {
      outages.failed(cause);
      storeFailures.add(c);
      return errorResponse(c, errors.storeUnavailable(cause));
    }
  });

  app.route(
    '/api',
    apiRoutes({
      warmshower,
      limits:
        options.rateLimits === false
          ? perKnownClient(noRateLimits, () => undefined)
          : perKnownClient(createRateLimits(options.rateLimits), () => {
              if (warnedUnknownClient) return;
              warnedUnknownClient = true;
              logger?.warn(
                'client address unknown: per-address rate limits are off for such requests; give createApp a clientAddress option (or trustProxy behind a proxy)',
              );
            }),
      runtime,
      hub,
      clientOf,
      allowedOrigins,
      publicUrl,
      networkOrigin: options.networkOrigin ?? (() => null),
    }),
  );

  if (options.staticRoot) {
    const root = options.staticRoot;
    // The page sets people's words only as text; a strict policy makes sure nothing else runs.
    app.get(
      '/*',
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
        referrerPolicy: 'no-referrer',
      }),
    );
    // The page's assets and API calls are relative to it: `/ws` must be `/ws/` for them to resolve.
    app.get('/*', async (c, next) => {
      const mount = routePath(c).replace(/\/?\*$/, '');
      if (mount && !mount.includes(':') && c.req.path === mount) {
        return c.redirect(`${mount}/${new URL(c.req.url).search}`, 301);
      }
      await next();
    });
    app.get(
      '/*',
      serveStatic({
        root,
        // Mounted under a prefix, files are looked up relative to it.
        rewriteRequestPath: (path, c) => {
          const mount = routePath(c).replace(/\/?\*$/, '');
          return mount && !mount.includes(':') && path.startsWith(mount) ? path.slice(mount.length) || '/' : path;
        },
      }),
    );
  }

  return Object.assign(app, {
    warmshower,
    stats: (): AppStats => ({ openStreams: hub.size }),
    closeStreams: () => {
      outages.stop();
      return hub.closeAll();
    },
    storeFailed: (cause: unknown) => outages.failed(cause, false),
  });
}

/**
 * How long /readyz waits for the store's ping: a 503 inside a probe's one second (Kubernetes'
 * default timeout), not a probe timing out while a request would wait up to two for Redis.
 */
const READY_MS = 900;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
