// The safety number of SPEC §10: people read it aloud; if it matches, nobody's key was swapped.
import { isBase64url, WarmshowerError } from '@warmshower/core/protocol';
import { subtle } from './hpke.js';
import { keyBytesOf } from './keys.js';

/** A participant as the API lists them in an end-to-end session. */
export interface KeyedParticipant {
  id: string;
  publicKey: string;
}

const encoder = new TextEncoder();

/**
 * '0421 9935 1207': SHA-256 over `<id>:<publicKey>\n` of everyone, sorted by id (code units, no
 * locale); the first 5 bytes as a big-endian number modulo 10^12, in three groups of four digits.
 */
export async function safetyNumber(participants: readonly KeyedParticipant[]): Promise<string> {
  for (const { id, publicKey } of participants) {
    // A ':' or a line break in an id would let two different lists hash alike.
    if (typeof id !== 'string' || id === '' || !isBase64url(id)) {
      throw new WarmshowerError('INVALID_INPUT', 'A participant id is a base64url string.');
    }
    keyBytesOf(publicKey, 'public');
  }
  const sorted = [...participants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = sorted.map(({ id, publicKey }) => `${id}:${publicKey}\n`).join('');
  const digest = new Uint8Array(await subtle().digest('SHA-256', encoder.encode(lines)));
  // Five bytes are 40 bits: exact in a double.
  let value = 0;
  for (const byte of digest.subarray(0, 5)) value = value * 256 + byte;
  const digits = String(value % 1e12).padStart(12, '0');
  return `${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`;
}
