import { WarmshowerError } from './protocol/errors.js';

export { WarmshowerError, isWarmshowerError, errorCodes } from './protocol/errors.js';
export type { ErrorCode, ErrorBody } from './protocol/errors.js';

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
