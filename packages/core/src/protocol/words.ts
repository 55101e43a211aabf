// How names and warm showers are cleaned and checked (SPEC rules 2 and 3). Core's validation
// calls these, and the page and the client call them too, so everyone gives the same sentence.
import { codePoints, limits } from './limits.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; sentence: string };

// Unicode categories a name may not hold: Cc controls, Cf format (zero-width, bidi), Cs lone
// surrogates, Co private use, Cn unassigned. One test each, for a sentence that says which.
const control = /\p{Cc}/u;
const format = /\p{Cf}/u;
const surrogate = /\p{Cs}/u;
const privateOrUnassigned = /[\p{Co}\p{Cn}]/u;
// Something a person can see: a letter, digit, punctuation mark or symbol that is not one of the
// blank letters (Hangul fillers, the blank braille pattern) that render as nothing.
const visible = /[\p{L}\p{N}\p{P}\p{S}]/u;
const blank = /[\u115f\u1160\u3164\uffa0\u2800]/gu;

/**
 * A display name as the rules keep it: trimmed, NFKC, runs of white space as one space. `null`
 * means "none given" (absent, null or blank): the caller makes up a friendly one.
 */
export function checkDisplayName(input: unknown): Checked<string | null> {
  if (input === undefined || input === null) return { ok: true, value: null };
  if (typeof input !== 'string') {
    return { ok: false, sentence: 'displayName must be a string (or left out for a generated name).' };
  }
  const normal = input.trim().normalize('NFKC');
  if (control.test(normal)) return { ok: false, sentence: 'A display name cannot contain line breaks or control characters.' };
  if (format.test(normal)) {
    return {
      ok: false,
      sentence: 'A display name cannot contain invisible formatting characters (zero-width spaces, direction marks and the like).',
    };
  }
  if (surrogate.test(normal)) return { ok: false, sentence: 'A display name cannot contain a broken character (a lone surrogate).' };
  if (privateOrUnassigned.test(normal)) {
    return { ok: false, sentence: 'A display name cannot contain private-use or unassigned characters.' };
  }
  const name = normal.replace(/\s+/gu, ' ').trim().normalize('NFKC');
  if (name === '') return { ok: true, value: null };
  if (!visible.test(name.replace(blank, ''))) {
    return { ok: false, sentence: 'A display name needs at least one visible letter, digit or symbol.' };
  }
  if (codePoints(name) > limits.maxDisplayName) {
    return { ok: false, sentence: `A display name can be at most ${limits.maxDisplayName} characters.` };
  }
  return { ok: true, value: name };
}

/** The key that makes names unique in a session: plain `toLowerCase`, no locale (rule 2). */
export const nameKey = (displayName: string): string => displayName.toLowerCase();

// Controls but line feed and tab (rule 3).
const textControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

/** A warm shower's text as the rules keep it: line breaks as `\n`, trimmed, 1 to 1000 characters. */
export function checkText(input: unknown): Checked<string> {
  if (input === undefined) return { ok: false, sentence: '"text" is missing: write the warm shower you want to send.' };
  if (typeof input !== 'string') return { ok: false, sentence: '"text" must be a string.' };
  const text = input.replace(/\r\n?/g, '\n').trim();
  const n = codePoints(text);
  if (n === 0) return { ok: false, sentence: 'A warm shower needs some text.' };
  if (n > limits.maxText) {
    return { ok: false, sentence: `A warm shower can be at most ${limits.maxText} characters; this one has ${n}.` };
  }
  if (textControl.test(text)) {
    return { ok: false, sentence: 'A warm shower cannot contain control characters other than line breaks and tabs.' };
  }
  if (surrogate.test(text)) return { ok: false, sentence: 'A warm shower cannot contain a broken character (a lone surrogate).' };
  return { ok: true, value: text };
}

/** True for unpadded (or padded) base64url: RFC 4648 §5. */
export const isBase64url = (value: string): boolean => /^[A-Za-z0-9_-]*={0,2}$/.test(value) && value.replace(/=+$/, '').length % 4 !== 1;

/** Bytes that a base64url string decodes to, without decoding it. */
export const base64urlBytes = (value: string): number => Math.floor((value.replace(/=+$/, '').length * 3) / 4);
