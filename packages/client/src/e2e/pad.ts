// The plaintext of SPEC §10: the UTF-8 text, one 0x80 byte, then the fewest zero bytes that make
// the length a multiple of 256, so a ciphertext tells its length only to the nearest 256 bytes.

/** The block that padded plaintexts fill (SPEC §10). */
export const padBlock = 256;

const encoder = new TextEncoder();
// fatal: a byte sequence that is not UTF-8 is refused rather than shown with U+FFFD in it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The length that `pad` gives a text of `utf8Bytes` bytes: one more, rounded up to 256. */
export const paddedLength = (utf8Bytes: number): number => Math.ceil((utf8Bytes + 1) / padBlock) * padBlock;

/** The UTF-8 text followed by 0x80 and the fewest zero bytes that make a multiple of 256. */
export function pad(text: string): Uint8Array {
  const utf8 = encoder.encode(text);
  const padded = new Uint8Array(paddedLength(utf8.length));
  padded.set(utf8);
  padded[utf8.length] = 0x80;
  return padded;
}

/**
 * The text inside a padded plaintext, or null for anything `pad` could not have made: a length
 * that is not a positive multiple of 256, no 0x80 marker, more zero bytes than needed, or
 * bytes before the marker that are not UTF-8.
 */
export function unpad(padded: Uint8Array): string | null {
  if (padded.length === 0 || padded.length % padBlock !== 0) return null;
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80) return null;
  if (paddedLength(end) !== padded.length) return null;
  try {
    return decoder.decode(padded.subarray(0, end));
  } catch {
    return null;
  }
}
