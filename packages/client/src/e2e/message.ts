// A warm shower sealed to its recipient (SPEC §10). `info` binds a ciphertext to one session and
// one recipient, so the server cannot replay it into another session or to another person.
import { checkText, isSessionCode, limits, WarmshowerError } from '@warmshower/core/protocol';
import { fromBase64url, toBase64url } from './base64url.js';
import { UnreadableMessage } from './errors.js';
import { engine, keyBytes, openBytes, sealBytes } from './hpke.js';
import { keyBytesOf } from './keys.js';
import { pad, unpad } from './pad.js';

const encoder = new TextEncoder();

/** HPKE `info` of a warm shower: the UTF-8 of `warmshower/1 <code> <recipient id>`. */
export const infoOf = (code: string, recipientId: string): Uint8Array =>
  encoder.encode(`warmshower/1 ${code} ${recipientId}`);

// AES-GCM adds a 16-byte tag to the padded text.
const tagBytes = 16;

/** What `seal` needs: the session, the recipient as the API lists them, and the text. */
export interface SealInput {
  code: string;
  recipientId: string;
  /** The recipient's `publicKey` from the participants list or `participant-joined`. */
  recipientPublicKey: string;
  text: string;
}

/** What `open` needs: the session, my own id and private key, and the received ciphertext. */
export interface OpenInput {
  code: string;
  /** My participant id: the recipient's. */
  recipientId: string;
  /** My private key, base64url. */
  privateKey: string;
  ciphertext: string;
}

/**
 * The ciphertext (base64url) of a warm shower for one recipient. The text is checked as rule 3
 * says (trimmed, 1–1000 characters): a WarmshowerError (INVALID_INPUT) with core's sentence if not.
 */
export async function seal(input: SealInput): Promise<string> {
  const checked = checkText(input.text);
  if (!checked.ok) throw new WarmshowerError('INVALID_INPUT', checked.sentence);
  if (!isSessionCode(input.code)) throw new WarmshowerError('INVALID_INPUT', 'A session code is six digits.');
  if (typeof input.recipientId !== 'string' || input.recipientId === '') {
    throw new WarmshowerError('INVALID_INPUT', 'Say whom the warm shower is for (their participant id).');
  }
  const recipientPublicKey = keyBytesOf(input.recipientPublicKey, 'public');
  let sealed: Uint8Array;
  try {
    sealed = await sealBytes(await engine(), {
      recipientPublicKey,
      info: infoOf(input.code, input.recipientId),
      plaintext: pad(checked.value),
    });
  } catch (cause) {
    // The library refuses a key no one can hold (a low-order point gives an all-zero secret).
    throw new WarmshowerError('INVALID_INPUT', 'That participant\'s public key cannot be encrypted to.', { cause });
  }
  // Never more than 32 + 4096 + 16 bytes for 1000 characters: a guard, not a rule.
  if (sealed.length > limits.maxCiphertextBytes) {
    throw new WarmshowerError('INVALID_INPUT', `The encrypted warm shower is over ${limits.maxCiphertextBytes} bytes.`);
  }
  return toBase64url(sealed);
}

/**
 * The text of a warm shower sealed to me, or an UnreadableMessage for anything that does not
 * decode, open, unpad, or hold a text that rule 3 lets a client send.
 */
export async function open(input: OpenInput): Promise<string> {
  const privateKey = keyBytesOf(input.privateKey, 'private');
  const sealed = typeof input.ciphertext === 'string' ? fromBase64url(input.ciphertext) : null;
  if (sealed === null) throw new UnreadableMessage('not-base64url');
  // The encapsulated key, at least one block of padded text, and the tag.
  if (sealed.length < keyBytes + 256 + tagBytes) throw new UnreadableMessage('too-short');
  if (sealed.length > limits.maxCiphertextBytes) throw new UnreadableMessage('too-long');
  let plaintext: Uint8Array;
  try {
    plaintext = await openBytes(await engine(), {
      recipientPrivateKey: privateKey,
      info: infoOf(input.code, input.recipientId),
      sealed,
    });
  } catch (cause) {
    throw new UnreadableMessage('does-not-open', { cause });
  }
  const text = unpad(plaintext);
  if (text === null) throw new UnreadableMessage('bad-padding');
  // The server cannot check rule 3 on a ciphertext; the recipient's client refuses what a
  // well-behaved sender could not have sent (over 1000 characters, control characters, untrimmed).
  const checked = checkText(text);
  if (!checked.ok || checked.value !== text) throw new UnreadableMessage('bad-text');
  return text;
}
