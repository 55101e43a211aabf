import { WarmshowerError, type ErrorCode } from '@warmshower/core/protocol';

/**
 * The API's error codes, and two of the client's own: `NETWORK` (the server could not be reached,
 * or the connection failed or timed out) and `UNEXPECTED_REPLY` (something answered that is not
 * the Warm Shower API: a wrong URL, a proxy's error page).
 */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'UNEXPECTED_REPLY';

/** The JSON shape of a client error, as the API writes its own. */
export interface ClientErrorBody {
  error: { code: ClientErrorCode; message: string };
}

export interface ClientErrorOptions {
  /** The HTTP status of the reply; 0 when no reply came. Default 0. */
  status?: number;
  /** From `Retry-After` (429, 503): seconds before the server takes this request again. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

// WarmshowerError types `code` as core's closed union. The client's codes are a wider one, so the
// class extends WarmshowerError at run time (instanceof holds) under a type that lets `code` widen.
const ClientErrorBase = WarmshowerError as unknown as new (
  code: ClientErrorCode,
  message: string,
  options?: { cause?: unknown; retryAfterSeconds?: number },
) => Omit<WarmshowerError, 'code' | 'toJSON'>;

/**
 * A failed call: the API's own code and sentence, or `NETWORK` / `UNEXPECTED_REPLY` with a
 * sentence that names the server. `status` is the HTTP status (0 when no reply came).
 */
export class WarmshowerClientError extends ClientErrorBase {
  readonly code: ClientErrorCode;
  /** The HTTP status of the reply; 0 when the server could not be reached. */
  readonly status: number;

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    const { status = 0, ...rest } = options;
    super(code, message, rest);
    this.code = code;
    this.status = status;
  }

  /** The API's error shape: `{"error": {"code", "message"}}`. */
  toJSON(): ClientErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** True for an error of this client (also one from another copy of this package). */
export function isWarmshowerClientError(error: unknown): error is WarmshowerClientError {
  return (
    error instanceof WarmshowerClientError ||
    (error instanceof Error &&
      error.name === 'WarmshowerError' &&
      typeof (error as { code?: unknown }).code === 'string' &&
      typeof (error as { status?: unknown }).status === 'number')
  );
}

/** True when the server no longer knows the session (ended, expired, or never existed): `SESSION_NOT_FOUND`. */
export const isSessionGone = (error: unknown): boolean =>
  isWarmshowerClientError(error) && error.code === 'SESSION_NOT_FOUND';

/**
 * The base URL with its last `/api` path segment (and what follows it) cut off, or `null` when it
 * has none: the client asks for `api/…` under its base, so a base ending in /api asks for
 * /api/api/…. Exported for the CLI's `--server` advice, which follows the same rule.
 */
export function withoutApi(base: URL): string | null {
  const at = base.pathname.toLowerCase().lastIndexOf('/api');
  const rest = base.pathname.slice(at + 4);
  if (at === -1 || (rest !== '' && !rest.startsWith('/'))) return null;
  const root = new URL(base.href);
  root.pathname = base.pathname.slice(0, at) || '/';
  return serverName(root);
}

/** How a server is named in sentences: its URL without the trailing slash. */
export const serverName = (base: URL): string => `${base.origin}${base.pathname.replace(/\/+$/, '')}`;

/** Why a fetch failed, in words, from what browsers and Node's fetch (undici) report. */
export function whyUnreachable(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return `it did not answer within ${seconds(timeoutMs)}`;
  // undici puts the system error under `cause`, sometimes one level deeper (an AggregateError).
  const cause = (error as { cause?: { code?: unknown; message?: unknown; errors?: unknown } } | null)?.cause;
  const inner = Array.isArray(cause?.errors) ? (cause.errors[0] as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? inner?.code;
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'that host name is unknown';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'the connection timed out';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'there is no route to that host';
  if (typeof cause?.message === 'string' && /certificate/i.test(cause.message)) {
    return `its TLS certificate was not accepted (${cause.message})`;
  }
  return typeof cause?.message === 'string' && cause.message ? `the connection failed (${cause.message})` : 'the connection failed';
}

/** `NETWORK`: one sentence that names the server and says why it could not be reached. */
export function unreachable(base: URL, error: unknown, timeoutMs: number): WarmshowerClientError {
  return new WarmshowerClientError(
    'NETWORK',
    `Cannot reach the Warm Shower server at ${serverName(base)}: ${whyUnreachable(error, timeoutMs)}.`,
    { cause: error },
  );
}

/** `UNEXPECTED_REPLY`: whatever answered is not the Warm Shower API. */
export function unexpectedReply(base: URL, response: Response, what = 'which is not a Warm Shower API reply'): WarmshowerClientError {
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new WarmshowerClientError(
    'UNEXPECTED_REPLY',
    `The server at ${serverName(base)} answered ${status}, ${what}; is the server URL right?`,
    { status: response.status, ...retryAfterOf(response) },
  );
}

/** The error an API reply stands for: its `{"error": {code, message}}`, or UNEXPECTED_REPLY. */
export function errorFromReply(base: URL, response: Response, text: string): WarmshowerClientError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    // The client asks for `api/…` under the base: a base ending in /api asked for /api/api/….
    const root = error.code === 'NOT_FOUND' ? withoutApi(base) : null;
    const message =
      root === null ? error.message : `There is no Warm Shower API at ${serverName(base)}; give the server's address without /api: ${root}.`;
    // A newer server may send a code this client does not know: it is kept as it came.
    return new WarmshowerClientError(error.code as ClientErrorCode, message, {
      status: response.status,
      ...retryAfterOf(response),
    });
  }
  return unexpectedReply(base, response);
}

/** `Retry-After` as seconds (it may be a number of seconds or an HTTP date), when present. */
export function retryAfterOf(response: Response, now = Date.now()): { retryAfterSeconds?: number } {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return {};
  if (/^\d+$/.test(value)) return { retryAfterSeconds: Number(value) };
  const at = Date.parse(value);
  return Number.isNaN(at) ? {} : { retryAfterSeconds: Math.max(0, Math.ceil((at - now) / 1000)) };
}

/** "15 s", or "0.2 s" for the short timeouts of tests. */
export const seconds = (ms: number): string => `${ms >= 1000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10} s`;
