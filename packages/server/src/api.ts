import { INVALID_JSON, isWarmshowerError, type Warmshower } from '@warmshower/core';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ClientInfo } from './addresses.js';
import { errorResponse, httpErrors } from './errors.js';
import { streamHeaders } from './frames.js';
import { apiGuards, hasBody, noStore, uncachedJson } from './guards.js';
import type { StreamHub } from './hub.js';
import { serverInfo } from './info.js';
import { openApiDocument } from './openapi.js';
import type { ClientLimits } from './rate-limits.js';
import type { Runtime } from './runtime.js';

/** Bodies over this are refused (413): a warm shower is at most 1000 characters, a ciphertext 4200 bytes. */
const BODY_LIMIT = 16 * 1024;

export interface ApiContext {
  warmshower: Warmshower;
  limits: ClientLimits;
  runtime: Runtime;
  hub: StreamHub;
  clientOf(c: Context): ClientInfo;
  allowedOrigins: Set<string>;
  publicUrl: string | undefined;
  networkOrigin: () => string | null;
}


/** The routes of SPEC §2 under `/api`: each turns a request into one call on the rules. */
export function apiRoutes(context: ApiContext): Hono {
  const { warmshower, limits, runtime, hub, clientOf } = context;
  const clock = warmshower.clock;
  const header = runtime.header;
  /** `Authorization: Bearer <token>`, or null. */
  const bearer = (c: Context): string | null => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header(c, 'authorization') ?? '');
    return match ? match[1]! : null;
  };
  /** The origin this request came in on, as the browser that sent it sees it. */
  const ownOrigin = (c: Context): string => `${clientOf(c).secure ? 'https' : 'http'}://${header(c, 'host') ?? new URL(c.req.url).host}`;

  /** The request body as core wants it: undefined when there is none, INVALID_JSON when not JSON. */
  const body = async (c: Context): Promise<unknown> => {
    if (!hasBody(c, header)) return undefined;
    const text = await runtime.readBody(c, BODY_LIMIT);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return INVALID_JSON;
    }
  };

  /**
   * Runs a step that names a session code, keeping codes from being scanned. Every answer "no such
   * session" is a miss for the client. Over the miss limit, the client gets 429 on every join and
   * every request without credentials, and any answer that would tell whether a code is live (404,
   * or 401 for a made-up token) becomes 429 too; a real member's requests still work.
   */
  const aboutCode = async <T>(c: Context, join: boolean, token: string | null, step: () => Promise<T>): Promise<T> => {
    if (join || !token) await limits.checkMisses(clientOf(c).key);
    try {
      return await step();
    } catch (error) {
      if (!isWarmshowerError(error)) throw error;
      if (error.code === 'SESSION_NOT_FOUND') await limits.miss(clientOf(c).key);
      else if (error.code === 'UNAUTHORIZED' && token) await limits.checkMisses(clientOf(c).key);
      throw error;
    }
  };

  /** Sets a token cookie readable only by the session's events URL (docs/decisions.md). */
  const streamCookie = (c: Context, name: string, token: string, path: string, maxAge: number): void => {
    setCookie(c, name, token, { path, httpOnly: true, sameSite: 'Strict', maxAge: Math.max(1, maxAge), secure: clientOf(c).secure });
  };

  const api = new Hono();
  api.use(apiGuards(header, (c, origin) => origin === ownOrigin(c).toLowerCase() || context.allowedOrigins.has(origin)));

  api.get('/info', (c) =>
    uncachedJson(
      serverInfo(c, {
        origin: ownOrigin(c),
        publicUrl: context.publicUrl,
        networkOrigin: context.networkOrigin(),
        maxParticipants: warmshower.maxParticipants,
        defaultTtlSeconds: warmshower.defaultTtlSeconds,
      }),
    ),
  );

  api.get('/openapi.json', (c) => uncachedJson(openApiDocument()));

  api.post('/sessions', async (c) => {
    const input = await body(c);
    await limits.creation(clientOf(c).key);
    const created = await warmshower.createSession(input);
    streamCookie(c, 'ws_host', created.hostToken, `${c.req.path}/${created.code}/events`, created.ttlSeconds);
    return c.json(created, 201, noStore);
  });

  api.get('/sessions/:code', async (c) => {
    const token = bearer(c);
    return uncachedJson(await aboutCode(c, false, token, () => warmshower.getSession(c.req.param('code'), token)));
  });

  api.patch('/sessions/:code', async (c) => {
    const token = bearer(c);
    const input = await body(c);
    return uncachedJson(await aboutCode(c, false, token, () => warmshower.extendSession(c.req.param('code'), token, input)));
  });

  api.delete('/sessions/:code', async (c) => {
    const token = bearer(c);
    await aboutCode(c, false, token, () => warmshower.end(c.req.param('code'), token));
    return c.body(null, 204, noStore);
  });

  api.post('/sessions/:code/reveal', async (c) => {
    const token = bearer(c);
    return uncachedJson(await aboutCode(c, false, token, () => warmshower.reveal(c.req.param('code'), token)));
  });

  api.post('/sessions/:code/participants', async (c) => {
    const input = await body(c);
    const joined = await aboutCode(c, true, null, () => warmshower.join(c.req.param('code'), input));
    const eventsPath = c.req.path.replace(/\/participants$/, '/events');
    const secondsLeft = Math.ceil((Date.parse(joined.expiresAt) - clock.now()) / 1000);
    streamCookie(c, 'ws_participant', joined.token, eventsPath, secondsLeft);
    return c.json(joined, 201, noStore);
  });

  api.get('/sessions/:code/participants', async (c) => {
    const token = bearer(c);
    return uncachedJson(await aboutCode(c, false, token, () => warmshower.participants(c.req.param('code'), token)));
  });

  api.post('/sessions/:code/messages', async (c) => {
    const token = bearer(c);
    const input = await body(c);
    return uncachedJson(await aboutCode(c, false, token, () => warmshower.send(c.req.param('code'), token, input)), 201);
  });

  api.post('/sessions/:code/messages/:id/thanks', async (c) => {
    const token = bearer(c);
    const { code, id } = c.req.param();
    return uncachedJson(await aboutCode(c, false, token, () => warmshower.thank(code, token, id)), 201);
  });

  // Hono answers HEAD with the GET route.
  api.get('/sessions/:code/events', async (c) => {
    const code = c.req.param('code');
    // A plain browser EventSource cannot set headers: it sends the path-scoped cookie set at create/join.
    const token = bearer(c) ?? getCookie(c, c.req.query('as') === 'host' ? 'ws_host' : 'ws_participant') ?? null;
    if (c.req.method === 'HEAD') {
      await aboutCode(c, false, token, () => warmshower.participants(code, token));
      return c.body(null, 200, streamHeaders);
    }
    hub.admit();
    const sink = runtime.eventStream(c);
    const lastEventId = header(c, 'last-event-id') ?? null;
    // Connect before answering, so a refusal is a plain JSON error and not a broken stream.
    const connection = await aboutCode(c, false, token, () => warmshower.connect(code, token, { lastEventId }, (e) => sink.push(e)));
    hub.add(sink);
    return sink.start(() => {
      hub.remove(sink);
      hub.release(() => connection.close());
    });
  });

  api.all('*', (c) => errorResponse(c, httpErrors.routeNotFound()));
  return api;
}
