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
export function refuseCrossSite(header: Header, allowed: (c: Context, origin: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (changing.has(c.req.method)) {
      if (header(c, 'sec-fetch-site')?.toLowerCase() === 'cross-site') throw crossSite();
      const origin = header(c, 'origin');
      if (origin !== undefined && !allowed(c, origin.toLowerCase())) throw crossSite();
    }
    await next();
  };
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
export const requireJson = (header: Header): MiddlewareHandler => async (c, next) => {
  if (changing.has(c.req.method) && hasBody(c, header)) {
    const type = header(c, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new WarmshowerError(
        'UNSUPPORTED_MEDIA_TYPE',
        `The request body must be JSON, sent with "Content-Type: application/json"${type ? `, not "${type}"` : ''}.`,
      );
    }
  }
  await next();
};

/**
 * Replies that can carry tokens (and every other API reply) are never stored by a cache. Set
 * before the handler: a header added to a finished response makes Hono rebuild it as a web
 * Response, which costs more than the rest of a send.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
};
