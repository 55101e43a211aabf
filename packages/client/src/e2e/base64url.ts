// base64url (RFC 4648 §5) on Uint8Array, without Buffer, so the page bundles the same code that
// Node runs. Output has no padding; input may have it. A decoder that is strict about the
// alphabet and the unused bits gives every value one spelling.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const valueOf = new Map<string, number>([...alphabet].map((char, i) => [char, i]));

/** The bytes as base64url (RFC 4648 §5), without `=` padding. */
export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const group = (a << 16) | (b << 8) | c;
    out += alphabet[(group >> 18) & 63]! + alphabet[(group >> 12) & 63]!;
    if (i + 1 < bytes.length) out += alphabet[(group >> 6) & 63]!;
    if (i + 2 < bytes.length) out += alphabet[group & 63]!;
  }
  return out;
}

/**
 * The bytes a base64url string (RFC 4648 §5) spells, with or without `=` padding; null for
 * anything else (another alphabet, white space, a wrong length, padding where none belongs, or
 * unused bits that are not zero).
 */
export function fromBase64url(text: string): Uint8Array | null {
  let body = text;
  if (body.endsWith('=')) {
    // Padding, when present, must make the length a multiple of four, as RFC 4648 §3.2 writes it.
    if (body.length % 4 !== 0) return null;
    body = body.endsWith('==') ? body.slice(0, -2) : body.slice(0, -1);
  }
  if (body.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (const char of body) {
    const value = valueOf.get(char);
    if (value === undefined) return null;
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >> count) & 0xff;
    }
    bits &= (1 << count) - 1;
  }
  // Leftover bits past the last whole byte must be zero, or two strings would spell one value.
  if (bits !== 0) return null;
  return bytes;
}
