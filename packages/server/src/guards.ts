import { WarmshowerError } from '@warmshower/core';
import type { Context, MiddlewareHandler } from 'hono';

/** Reads a request header (the runtime's way). */
type Header = (c: Context, name: string) => string | undefined;

/** Methods that change something: the ones a cross-site page must not be able to send. */
const changing = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const crossSite = () =>
  new WarmshowerError(
    'CROSS_SITE',
    'This request came from another website, so it was refused: Warm Shower takes changes only from its own page or from clients that are not browsers.',
  );

/**
 * Refuses state-changing requests that a browser sends on behalf of another site (SPEC §2): marked
 * `Sec-Fetch-Site: cross-site`, or carrying an `Origin` that is neither the request's own, nor the
 * public URL's, nor one the embedding app allows. Clients that are not browsers send neither.
 */
function refuseCrossSite(c: Context, header: Header, allowed: (c: Context, origin: string) => boolean): void {
  if (!changing.has(c.req.method)) return;
  if (header(c, 'sec-fetch-site')?.toLowerCase() === 'cross-site') throw crossSite();
  const origin = header(c, 'origin');
  if (origin !== undefined && !allowed(c, origin.toLowerCase())) throw crossSite();
}

/**
 * True when a request carries a body: a length above zero or a chunked one (what HTTP/1.1 says),
 * or, for a request that did not come over a socket (`app.request()`), a body stream.
 */
export const hasBody = (c: Context, header: Header): boolean => {
  if (Number(header(c, 'content-length') ?? 0) > 0 || header(c, 'transfer-encoding') !== undefined) return true;
  if ((c.env as { incoming?: unknown } | undefined)?.incoming) return false; // Node: the headers say it all
  return c.req.raw.body !== null;
};

/**
 * A body must be declared JSON (415 otherwise, before anything is read or done): the one kind a
 * cross-site form cannot send without the browser asking us first.
 */
function requireJson(c: Context, header: Header): void {
  if (!changing.has(c.req.method) || !hasBody(c, header)) return;
  const type = header(c, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new WarmshowerError(
      'UNSUPPORTED_MEDIA_TYPE',
      `The request body must be JSON, sent with "Content-Type: application/json"${type ? `, not "${type}"` : ''}.`,
    );
  }
}

const uncached = new WeakSet<Response>();

/** The header every API reply carries: replies can carry tokens, and no cache may keep one. */
export const noStore = { 'Cache-Control': 'no-store' } as const;

/**
 * An API reply in JSON that no cache keeps, its headers a plain object: @hono/node-server writes
 * such headers as they are, where `c.json` after `c.header` (or with two headers) builds undici
 * `Headers` that the adapter then copies back into an object (2–3% of a send in the profile).
 */
export function uncachedJson(data: unknown, status = 200): Response {
  return uncachedReply(
    new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json', ...noStore } }),
  );
}

/**
 * Tells `apiGuards` that a reply says `Cache-Control: no-store` already, so that it need not read
 * the reply's headers (on a reply of @hono/node-server without a body, that builds a whole web
 * `Response`).
 */
export function uncachedReply(response: Response): Response {
  uncached.add(response);
  return response;
}

/**
 * Every API request and reply: cross-site writes and bodies that are not JSON refused before
 * anything is read or done, and no reply stored by a cache (replies can carry tokens). Most
 * replies are `uncachedJson`; any other (errors, replies that set a cookie, streams) gets
 * `Cache-Control` here if it lacks it, which makes Hono rebuild the finished response: that is
 * why the frequent replies carry it themselves. One middleware, not three: each layer of Hono's
 * costs every request an async function's promise and closures (~1 KB, heap profile).
 */
export function apiGuards(header: Header, allowed: (c: Context, origin: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    refuseCrossSite(c, header, allowed);
    requireJson(c, header);
    await next();
    if (!uncached.has(c.res) && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}
