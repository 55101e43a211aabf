/**
 * Every error a Warm Shower host can report. Core raises most; hosts add the transport ones
 * (body too large, rate limited, cross-site, unknown route). Each host maps a code once: to an
 * HTTP status in the server, an exit code in the CLI, a sentence in the page.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'SELF_MESSAGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CROSS_SITE'
  | 'SESSION_NOT_FOUND'
  | 'RECIPIENT_NOT_FOUND'
  | 'MESSAGE_NOT_FOUND'
  | 'NOT_FOUND'
  | 'ALREADY_SENT'
  | 'NAME_TAKEN'
  | 'SESSION_FULL'
  | 'ALREADY_REVEALED'
  | 'ALREADY_THANKED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'MESSAGE_REFUSED'
  | 'RATE_LIMITED'
  | 'TOO_MANY_STREAMS'
  | 'STORE_UNAVAILABLE'
  | 'SERVER_BUSY'
  | 'INTERNAL_ERROR';

/** Every code, for tables that must name them all. */
export const errorCodes: readonly ErrorCode[] = [
  'INVALID_INPUT',
  'SELF_MESSAGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CROSS_SITE',
  'SESSION_NOT_FOUND',
  'RECIPIENT_NOT_FOUND',
  'MESSAGE_NOT_FOUND',
  'NOT_FOUND',
  'ALREADY_SENT',
  'NAME_TAKEN',
  'SESSION_FULL',
  'ALREADY_REVEALED',
  'ALREADY_THANKED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'MESSAGE_REFUSED',
  'RATE_LIMITED',
  'TOO_MANY_STREAMS',
  'STORE_UNAVAILABLE',
  'SERVER_BUSY',
  'INTERNAL_ERROR',
];

/** The JSON shape of an error in the API. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** The one error type of Warm Shower: a stable `code` and a sentence a person understands. */
export class WarmshowerError extends Error {
  override readonly name = 'WarmshowerError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** For a 429 or 503: when the client may try again. */
  readonly retryAfterSeconds?: number;

  /** The JSON shape of an error in the API: `{"error": {"code", "message"}}`. */
  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** True for a WarmshowerError, also one from another copy of this package. */
export function isWarmshowerError(error: unknown): error is WarmshowerError {
  return (
    error instanceof WarmshowerError ||
    (error instanceof Error && error.name === 'WarmshowerError' && typeof (error as { code?: unknown }).code === 'string')
  );
}
