import type { ClientErrorCode } from '@warmshower/client';

/** The exit codes of SPEC §5. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  unauthorized: 5,
} as const;

// The one place where the CLI maps error codes (docs/decisions.md): core's, and the client's own two.
const byErrorCode: Record<ClientErrorCode, number> = {
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
  NETWORK: exitCodes.failure,
  UNEXPECTED_REPLY: exitCodes.failure,
};

/** The exit code for an error code of the API or the client; an unknown code falls back on the HTTP status. */
export function exitCodeFor(code: string | undefined, status?: number): number {
  if (code !== undefined && Object.hasOwn(byErrorCode, code)) return byErrorCode[code as ClientErrorCode];
  if (status === 400) return exitCodes.usage;
  if (status === 401 || status === 403) return exitCodes.unauthorized;
  if (status === 404) return exitCodes.notFound;
  if (status === 409) return exitCodes.conflict;
  return exitCodes.failure;
}

/** A failure as the CLI reports it: one sentence for a person and the exit code to leave with. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
  }
}
