import { limits, WarmshowerError, type ErrorCode } from '@warmshower/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { noStore, uncachedReply } from './guards.js';

/** Each core error code's HTTP status, once (docs/decisions.md). */
export const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  INVALID_INPUT: 400,
  SELF_MESSAGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CROSS_SITE: 403,
  SESSION_NOT_FOUND: 404,
  RECIPIENT_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  ALREADY_SENT: 409,
  NAME_TAKEN: 409,
  SESSION_FULL: 409,
  ALREADY_REVEALED: 409,
  ALREADY_THANKED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MESSAGE_REFUSED: 422,
  RATE_LIMITED: 429,
  TOO_MANY_STREAMS: 429,
  STORE_UNAVAILABLE: 503,
  SERVER_BUSY: 503,
  INTERNAL_ERROR: 500,
};

/** A 429 that knows when the client may try again. */
const rateLimited = (message: string, retryAfterSeconds: number) =>
  new WarmshowerError('RATE_LIMITED', message, { retryAfterSeconds });

export const httpErrors = {
  routeNotFound: () => new WarmshowerError('NOT_FOUND', 'There is nothing at this address; the API lives under /api.'),
  payloadTooLarge: () =>
    new WarmshowerError('PAYLOAD_TOO_LARGE', `The request body is larger than 16 KiB; a warm shower is at most ${limits.maxText} characters.`),
  unreadable: () => new WarmshowerError('INVALID_INPUT', 'The request could not be read; send JSON with the headers the API documents.'),
  tooManyCreations: (retryAfterSeconds: number) =>
    rateLimited(
      `Too many sessions created from your address; try again in ${retryAfterSeconds} seconds.`,
      retryAfterSeconds,
    ),
  tooManyMisses: (retryAfterSeconds: number) =>
    rateLimited(
      `Too many requests for session codes that do not exist came from your address; try again in ${retryAfterSeconds} seconds.`,
      retryAfterSeconds,
    ),
};

/** The SPEC's JSON error reply for a WarmshowerError, with `Retry-After` on a 429; never cached. */
export function errorResponse(c: Context, error: WarmshowerError): Response {
  const status = statusOf[error.code] ?? 500;
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return uncachedReply(c.json(error.toJSON(), status, noStore));
}

/** The reply for a bug of ours: a 500 in the same JSON shape, saying nothing about the cause. */
export const internalError = () =>
  new WarmshowerError('INTERNAL_ERROR', 'Something went wrong on the server; it has been logged.');

