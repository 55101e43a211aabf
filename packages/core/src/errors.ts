/**
 * Every error a Warm Shower host can report. Core raises the first group; hosts add the
 * transport ones (body too large, rate limited, unknown route). Each host maps a code once:
 * to an HTTP status in the server, an exit code in the CLI, a sentence in the page.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'SELF_MESSAGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'SESSION_NOT_FOUND'
  | 'RECIPIENT_NOT_FOUND'
  | 'ALREADY_SENT'
  | 'NAME_TAKEN'
  | 'STORE_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'NOT_FOUND';

/** The one error type of Warm Shower: a stable `code` and a sentence a person understands. */
export class WarmshowerError extends Error {
  override readonly name = 'WarmshowerError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The JSON shape of an error in the API: `{"error": {"code", "message"}}`. */
  toJSON(): { error: { code: ErrorCode; message: string } } {
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

/** The sentences core uses, in one place so hosts and tests agree on them. */
export const errors = {
  sessionNotFound: () =>
    new WarmshowerError('SESSION_NOT_FOUND', 'There is no live session with that code: it may have ended or expired.'),
  tokenMissing: () =>
    new WarmshowerError('UNAUTHORIZED', 'This needs your token: send it as "Authorization: Bearer <token>".'),
  tokenUnknown: () => new WarmshowerError('UNAUTHORIZED', 'That token does not belong to this session.'),
  hostOnly: (what: string) => new WarmshowerError('FORBIDDEN', `Only the host can ${what}.`),
  hostCannotSend: () =>
    new WarmshowerError(
      'FORBIDDEN',
      'The host token cannot send warm showers; join the session as a participant to write to people.',
    ),
  selfMessage: () => new WarmshowerError('SELF_MESSAGE', 'You cannot send a warm shower to yourself.'),
  recipientNotFound: () =>
    new WarmshowerError('RECIPIENT_NOT_FOUND', 'No participant of this session has that id.'),
  alreadySent: () =>
    new WarmshowerError('ALREADY_SENT', 'You have already sent a warm shower to this person: one each.'),
  nameTaken: (name: string) =>
    new WarmshowerError('NAME_TAKEN', `Someone in this session is already called "${name}"; choose another name.`),
  storeUnavailable: (cause?: unknown) =>
    new WarmshowerError('STORE_UNAVAILABLE', 'The session store cannot be reached right now; try again in a moment.', {
      cause,
    }),
  invalid: (sentence: string) => new WarmshowerError('INVALID_INPUT', sentence),
};
