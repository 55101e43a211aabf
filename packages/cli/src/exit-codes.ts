import type { ErrorCode } from '@warmshower/core';

/** The exit codes of SPEC §5. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  unauthorized: 5,
} as const;

// The one place where the CLI maps core's error codes (docs/decisions.md).
const byErrorCode: Record<ErrorCode, number> = {
  INVALID_INPUT: exitCodes.usage,
  SELF_MESSAGE: exitCodes.usage,
  UNAUTHORIZED: exitCodes.unauthorized,
  FORBIDDEN: exitCodes.unauthorized,
  CROSS_SITE: exitCodes.unauthorized,
  SESSION_NOT_FOUND: exitCodes.notFound,
  RECIPIENT_NOT_FOUND: exitCodes.notFound,
  MESSAGE_NOT_FOUND: exitCodes.notFound,
  NOT_FOUND: exitCodes.notFound,
  ALREADY_SENT: exitCodes.conflict,
  NAME_TAKEN: exitCodes.conflict,
  SESSION_FULL: exitCodes.conflict,
  ALREADY_REVEALED: exitCodes.conflict,
  ALREADY_THANKED: exitCodes.conflict,
  PAYLOAD_TOO_LARGE: exitCodes.failure,
  UNSUPPORTED_MEDIA_TYPE: exitCodes.failure,
  MESSAGE_REFUSED: exitCodes.usage,
  RATE_LIMITED: exitCodes.failure,
  TOO_MANY_STREAMS: exitCodes.failure,
  STORE_UNAVAILABLE: exitCodes.failure,
  SERVER_BUSY: exitCodes.failure,
  INTERNAL_ERROR: exitCodes.failure,
};

/** The exit code for an API error code; an unknown code falls back on the HTTP status. */
export function exitCodeFor(code: string | undefined, status?: number): number {
  if (code !== undefined && code in byErrorCode) return byErrorCode[code as ErrorCode];
  if (status === 400) return exitCodes.usage;
  if (status === 401 || status === 403) return exitCodes.unauthorized;
  if (status === 404) return exitCodes.notFound;
  if (status === 409) return exitCodes.conflict;
  return exitCodes.failure;
}

/**
 * A failure the CLI itself reports (server unreachable, a bad flag): a sentence for a person and
 * the exit code to leave with. Errors from the API arrive as `ApiError`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
  }
}

/** An error reply of the API: `{"error": {"code", "message"}}` and the HTTP status it came with. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  get exitCode(): number {
    return exitCodeFor(this.code, this.status);
  }
}

/** The exit code for anything a command throws. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError || error instanceof ApiError) return error.exitCode;
  return exitCodes.failure;
}
