// What `open` throws. The page and the CLI show one sentence for all of it ("could not be
// decrypted"); `reason` is for logs and tests, and says nothing about the text.

/** Why a ciphertext could not be read. */
export type UnreadableReason =
  | 'not-base64url'
  | 'too-short'
  | 'too-long'
  | 'does-not-open'
  | 'bad-padding'
  | 'bad-text';

/** A ciphertext that does not decode, open or unpad to a warm shower: show it as unreadable. */
export class UnreadableMessage extends Error {
  override readonly name = 'UnreadableMessage';

  constructor(
    readonly reason: UnreadableReason,
    options?: { cause?: unknown },
  ) {
    super(`This warm shower could not be decrypted (${reason}).`, options);
  }
}

/** True for an UnreadableMessage, also one from another copy of this package. */
export function isUnreadableMessage(error: unknown): error is UnreadableMessage {
  return error instanceof UnreadableMessage || (error instanceof Error && error.name === 'UnreadableMessage');
}
