import { isWarmshowerError, WarmshowerError } from './protocol/errors.js';

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
  sessionFull: (max: number) =>
    new WarmshowerError('SESSION_FULL', `This session is full: it holds at most ${max} people.`),
  keyMissing: () =>
    new WarmshowerError(
      'INVALID_INPUT',
      'This session is end-to-end encrypted: join with your "publicKey" (a 32-byte X25519 public key, base64url).',
    ),
  keyUnexpected: () => new WarmshowerError('INVALID_INPUT', 'This session is not end-to-end encrypted: leave "publicKey" out.'),
  wrongKind: (encrypted: boolean) =>
    new WarmshowerError(
      'INVALID_INPUT',
      encrypted
        ? 'This session is end-to-end encrypted: send the warm shower as "ciphertext", never as "text".'
        : 'This session is not end-to-end encrypted: send the warm shower as "text".',
    ),
  refused: (reason: string) =>
    new WarmshowerError('MESSAGE_REFUSED', `This warm shower was not sent: ${reason.replace(/\.?$/, '.')}`),
  nothingToReveal: () =>
    new WarmshowerError(
      'ALREADY_REVEALED',
      'This session delivers warm showers as they are written, so there is nothing to reveal.',
    ),
  alreadyRevealed: () => new WarmshowerError('ALREADY_REVEALED', 'This session has already been revealed.'),
  messageNotFound: () =>
    new WarmshowerError('MESSAGE_NOT_FOUND', 'You have received no warm shower with that id, so there is nothing to thank.'),
  alreadyThanked: () => new WarmshowerError('ALREADY_THANKED', 'You have already thanked this warm shower.'),
  onlyRecipientsThank: () =>
    new WarmshowerError('FORBIDDEN', 'Only the recipient of a warm shower can thank it; the host receives none.'),
  tooManyStreams: (limit: number) =>
    new WarmshowerError(
      'TOO_MANY_STREAMS',
      `You already have ${limit} live connections to this session open; close a tab or device and try again.`,
      { retryAfterSeconds: 5 },
    ),
};

/** Store failures that are not ours become STORE_UNAVAILABLE: a 503, never a crash. */
export function guardStore<T>(step: () => Promise<T>): Promise<T> {
  // Not an async function: a send goes through here, and each async layer costs it a promise and
  // a turn of the microtask queue.
  try {
    return step().catch(rethrowAsStoreError);
  } catch (error) {
    return Promise.reject(asStoreError(error));
  }
}

const asStoreError = (error: unknown): WarmshowerError => (isWarmshowerError(error) ? error : errors.storeUnavailable(error));
const rethrowAsStoreError = (error: unknown): never => {
  throw asStoreError(error);
};
