import { serveStatic } from '@hono/node-server/serve-static';
import {
  INVALID_JSON,
  isWarmshowerError,
  MemoryStore,
  Warmshower,
  type Store,
  type WarmshowerError,
} from '@warmshower/core';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { routePath } from 'hono/route';
import pino, { type Logger } from 'pino';
import { errorResponse, httpErrors, internalErrorResponse } from './errors.js';
import { EventPipe, sendEventStream, type StreamRegistry } from './events.js';
import { createRateLimits, noRateLimits, type RateLimitOptions, type RateLimits } from './rate-limits.js';

export interface AppOptions {
  /** The rules over a store. Default: a new Warmshower over `store`. */
  warmshower?: Warmshower;
  /** Where sessions live when no `warmshower` is given. Default: a new MemoryStore. */
  store?: Store;
  /** Lifetime of sessions created without `ttlSeconds` (when no `warmshower` is given). Default 3600. */
  defaultTtlSeconds?: number;
  /** Per-address limits of SPEC §2, or `false` for none. */
  rateLimits?: RateLimitOptions | false;
  /** Request logs; `false` for none. Default: pino at info level on stdout. */
  logger?: Logger | false;
  /** A directory of static files served at `/` (the built web page). */
  staticRoot?: string;
  /** The client's address for rate limits. Default: the Node socket's remote address. */
  clientAddress?: (c: Context) => string;
  /** Milliseconds between `: ping` comments on idle streams. Default 15000. */
  heartbeatMs?: number;
}

export interface AppStats {
  /** Event streams open right now. */
  openStreams: number;
}

/** A plain Hono app, plus what a host needs to watch it and shut it down. */
export type WarmshowerApp = Hono & {
  readonly warmshower: Warmshower;
  stats(): AppStats;
  /** Ends every open event stream (for a graceful shutdown). */
  closeStreams(): Promise<void>;
};

const BODY_LIMIT = 16 * 1024;

/** The Node socket's remote address when served by @hono/node-server; "unknown" elsewhere. */
const socketAddress = (c: Context): string => {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
};

/** `Authorization: Bearer <token>`, or null. */
const bearer = (c: Context): string | null => {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header('authorization') ?? '');
  return match ? match[1]! : null;
};

/** Bodies read straight from a Node request by `limitBody`. */
const nodeBodies = new WeakMap<Context, string>();

/** The request body as core wants it: undefined when empty, INVALID_JSON when not JSON. */
const body = async (c: Context): Promise<unknown> => {
  const text = nodeBodies.get(c) ?? (await c.req.text());
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
};

type NodeIncoming = AsyncIterable<Buffer> & {
  headers: Record<string, string | string[] | undefined>;
  readableDidRead?: boolean;
  listenerCount(event: string): number;
};

/** The untouched Node request under @hono/node-server, if that is what serves this request. */
const nodeIncoming = (c: Context): NodeIncoming | undefined => {
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  if (!incoming || typeof incoming[Symbol.asyncIterator] !== 'function') return undefined;
  return incoming.readableDidRead || incoming.listenerCount('data') > 0 ? undefined : incoming;
};

const tooLarge = (c: Context) => errorResponse(c, httpErrors.payloadTooLarge());
const honoBodyLimit = bodyLimit({ maxSize: BODY_LIMIT, onError: tooLarge });

/**
 * Caps request bodies at 16 KiB (413). On Node it reads the body from the socket itself: having
 * @hono/node-server build a web Request for it costs about a sixth of the server's time per send.
 * Anywhere else it is hono/body-limit.
 */
const limitBody: MiddlewareHandler = async (c, next) => {
  const incoming = nodeIncoming(c);
  if (!incoming) return honoBodyLimit(c, next);
  if (Number(incoming.headers['content-length']) > BODY_LIMIT) return tooLarge(c);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming) {
      size += chunk.length;
      if (size > BODY_LIMIT) return tooLarge(c);
      chunks.push(chunk);
    }
  } catch {
    return errorResponse(c, httpErrors.unreadable()); // the client went away mid-body
  }
  nodeBodies.set(c, Buffer.concat(chunks).toString('utf8'));
  await next();
};

/**
 * The Warm Shower HTTP API (SPEC §2) and event streams (§3) under `/api`, `/healthz`, `/readyz`,
 * and the page at `/` when `staticRoot` is given. Mount it anywhere: `app.route('/x', createApp())`.
 */
export function createApp(options: AppOptions = {}): WarmshowerApp {
  const warmshower =
    options.warmshower ??
    new Warmshower({ store: options.store ?? new MemoryStore(), defaultTtlSeconds: options.defaultTtlSeconds });
  const store = warmshower.store;
  const clock = warmshower.clock;
  const logger = options.logger === false ? null : (options.logger ?? pino());
  const limits: RateLimits = options.rateLimits === false ? noRateLimits : createRateLimits(options.rateLimits);
  const addressOf = options.clientAddress ?? socketAddress;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams: StreamRegistry = new Map();
  // One timer pings every open stream, rather than a timer per stream.
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const watchStreams = () => {
    if (streams.size > 0 && !heartbeat) {
      heartbeat = setInterval(() => {
        for (const pipe of streams.keys()) pipe.ping();
        if (streams.size === 0) {
          clearInterval(heartbeat);
          heartbeat = undefined;
        }
      }, heartbeatMs);
      heartbeat.unref?.();
    }
  };

  const app = new Hono();

  app.onError((error, c) => {
    if (isWarmshowerError(error)) {
      if (error.code === 'STORE_UNAVAILABLE') logger?.warn({ err: describe(error.cause) }, 'store unavailable');
      return errorResponse(c, error);
    }
    if (error instanceof HTTPException && error.status < 500) {
      if (error.status === 413) return errorResponse(c, httpErrors.payloadTooLarge());
      if (error.status === 404) return errorResponse(c, httpErrors.routeNotFound());
      return errorResponse(c, httpErrors.unreadable());
    }
    // A bug of ours. The error's own message and stack, never the request.
    logger?.error({ err: describe(error), route: routeOf(c) }, 'unexpected error');
    return internalErrorResponse(c);
  });
  app.notFound((c) => errorResponse(c, httpErrors.routeNotFound()));

  if (logger) {
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const line = { method: c.req.method, route: routeOf(c), status: c.res.status, ms };
      if (c.res.status >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    });
  }

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await withTimeout(store.ping(), 2000);
      return c.json({ status: 'ok' });
    } catch {
      return c.json(
        { error: { code: 'STORE_UNAVAILABLE', message: 'The session store cannot be reached right now.' } },
        503,
      );
    }
  });

  const api = new Hono();
  // Only where a body is read: touching the body makes @hono/node-server build a full Request,
  // which an open event stream would then hold for its whole life.
  api.post('*', limitBody);

  /**
   * Runs a step that names a session code, keeping codes from being scanned. Every answer "no such
   * session" is a miss for the client's address. Over the miss limit, the address gets 429 on every
   * join and every request without credentials, and any answer that would tell whether a code is
   * live (404, or 401 for a made-up token) becomes 429 too; a real member's requests still work.
   * Successful requests with a token never touch the limiter.
   */
  const aboutCode = async <T>(c: Context, join: boolean, token: string | null, step: () => Promise<T>): Promise<T> => {
    const address = addressOf(c);
    if (join || !token) await limits.checkMisses(address);
    try {
      return await step();
    } catch (error) {
      if (!isWarmshowerError(error)) throw error;
      if (error.code === 'SESSION_NOT_FOUND') await limits.miss(address);
      else if (error.code === 'UNAUTHORIZED' && token) await limits.checkMisses(address);
      throw error;
    }
  };

  api.post('/sessions', async (c) => {
    const input = await body(c);
    await limits.creation(addressOf(c));
    const created = await warmshower.createSession(input);
    setStreamCookie(c, 'ws_host', created.hostToken, `${c.req.path}/${created.code}/events`, created.ttlSeconds);
    return c.json(created, 201);
  });

  api.get('/sessions/:code', async (c) => {
    const token = bearer(c);
    return c.json(await aboutCode(c, false, token, () => warmshower.getSession(c.req.param('code'), token)));
  });

  api.delete('/sessions/:code', async (c) => {
    const token = bearer(c);
    await aboutCode(c, false, token, () => warmshower.end(c.req.param('code'), token));
    return c.body(null, 204);
  });

  api.post('/sessions/:code/participants', async (c) => {
    const input = await body(c);
    const joined = await aboutCode(c, true, null, () => warmshower.join(c.req.param('code'), input));
    const eventsPath = c.req.path.replace(/\/participants$/, '/events');
    const secondsLeft = Math.ceil((Date.parse(joined.expiresAt) - clock.now()) / 1000);
    setStreamCookie(c, 'ws_participant', joined.token, eventsPath, secondsLeft);
    return c.json(joined, 201);
  });

  api.get('/sessions/:code/participants', async (c) => {
    const token = bearer(c);
    return c.json(await aboutCode(c, false, token, () => warmshower.participants(c.req.param('code'), token)));
  });

  api.post('/sessions/:code/messages', async (c) => {
    const token = bearer(c);
    const input = await body(c);
    return c.json(await aboutCode(c, false, token, () => warmshower.send(c.req.param('code'), token, input)), 201);
  });

  api.get('/sessions/:code/events', async (c) => {
    const code = c.req.param('code');
    // EventSource cannot set headers: browsers send the path-scoped cookie set at create/join.
    const token = bearer(c) ?? getCookie(c, c.req.query('as') === 'host' ? 'ws_host' : 'ws_participant') ?? null;
    if (c.req.method === 'HEAD') {
      await aboutCode(c, false, token, () => warmshower.participants(code, token));
      return c.body(null, 200, { 'Content-Type': 'text/event-stream' });
    }
    const pipe = new EventPipe();
    const lastEventId = c.req.header('last-event-id') ?? null;
    // Connect before answering, so a refusal is a plain JSON error and not a broken stream.
    const connection = await aboutCode(c, false, token, () => warmshower.connect(code, token, { lastEventId }, pipe.push));
    const response = sendEventStream(c, connection, pipe, streams);
    watchStreams();
    return response;
  });

  api.all('*', (c) => errorResponse(c, httpErrors.routeNotFound()));
  app.route('/api', api);

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
    stats: (): AppStats => ({ openStreams: streams.size }),
    async closeStreams(): Promise<void> {
      await Promise.all([...streams.values()].map((close) => close()));
    },
  });
}

/** Sets a token cookie readable only by the session's events URL (docs/decisions.md). */
function setStreamCookie(c: Context, name: string, token: string, path: string, maxAge: number): void {
  setCookie(c, name, token, {
    path,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: Math.max(1, maxAge),
    secure: new URL(c.req.url).protocol === 'https:',
  });
}

/** The route pattern that answered (never the raw path or query). */
function routeOf(c: Context): string {
  // After `next()`, the route index is that of the last handler that ran: the one that answered.
  return routePath(c) || '(none)';
}

/** An error as a log field: its kind and message, nothing from the request. */
function describe(error: unknown): { type: string; message: string; stack?: string } | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error, message: String(error) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

export type { WarmshowerError };
