import { withoutApi } from '@warmshower/client';
import { isWarmshowerError } from '@warmshower/core/protocol';
import { CliError, exitCodeFor, exitCodes } from './exit-codes.js';

/** Where the server is set, for sentences about reaching it. */
export const serverHint = '(Set it with --server or WARMSHOWER_URL.)';

export interface ErrorContext {
  /** A token was given (by --token or WARMSHOWER_TOKEN). */
  hasToken: boolean;
  /** The --server URL the command used, to say what to give instead when it is not the app's root. */
  server?: string | undefined;
  /** Whom `send` wrote to, as the sender named them: only the sender reads this sentence. */
  recipient?: string | undefined;
}

/**
 * Any failure of a command as one sentence and an exit code. The client's errors (and core's,
 * from the e2e functions) keep their sentences; the few things only a command line can say
 * (which flag or variable to set, when to retry) are added here, and only here.
 */
export function cliErrorOf(error: unknown, context: ErrorContext): CliError {
  if (error instanceof CliError) return error;
  if (!isWarmshowerError(error)) {
    return new CliError(`Something went wrong: ${error instanceof Error ? error.message : String(error)}.`, exitCodes.failure);
  }
  // The client's codes (NETWORK, UNEXPECTED_REPLY) widen core's; its error also has `status`.
  const code: string = error.code;
  const status = (error as { status?: unknown }).status;
  let sentence = error.message;
  if (code === 'UNAUTHORIZED' && !context.hasToken) sentence = 'This needs a token: pass --token or set WARMSHOWER_TOKEN.';
  else if (code === 'ALREADY_SENT' && context.recipient !== undefined) {
    sentence = `You have already sent a warm shower to ${context.recipient}: one each.`;
  } else if (code === 'NOT_FOUND' && context.server !== undefined && rootOf(context.server) !== null) {
    sentence = `There is no Warm Shower API at ${context.server}; give the server's address without /api: --server ${rootOf(context.server)}.`;
  } else if (code === 'NETWORK') sentence = `${sentence} Is "warmshower serve" running there? ${serverHint}`;
  else if (code === 'UNEXPECTED_REPLY') sentence = `${sentence} ${serverHint}`;
  if (error.retryAfterSeconds !== undefined) sentence = `${sentence.replace(/\.$/, '')} (retry after ${error.retryAfterSeconds} s).`;
  return new CliError(sentence, exitCodeFor(code, typeof status === 'number' ? status : undefined));
}

/** The --server URL without its `/api` (the client's rule), or `null` when it has none or is no URL. */
function rootOf(server: string): string | null {
  try {
    return withoutApi(new URL(server));
  } catch {
    return null;
  }
}
