import type { EndReason } from './types.js';

/** True for a string that could be a session code: six digits (leading zeros kept). */
export const isSessionCode = (code: unknown): code is string => typeof code === 'string' && /^\d{6}$/.test(code);

/** A six-digit code from what a person typed ("123 456", "123-456"), or null. */
export function normaliseCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return isSessionCode(digits) ? digits : null;
}

/** "123 456": easier to read out in a meeting. */
export const spacedCode = (code: string): string => `${code.slice(0, 3)} ${code.slice(3)}`;

/** A join link (SPEC §8): `<joinUrl>?code=123456`, from `GET /api/info`'s `joinUrl`. */
export function joinLink(joinUrl: string, code: string): string {
  const url = new URL(joinUrl);
  url.search = `?code=${code}`;
  url.hash = '';
  return url.href;
}

/**
 * Why a session the server no longer has is over, for a reader who did not hear its end: it ran
 * out (`expired`) once its time is past, else it was ended or lost while away (`lost`).
 */
export const goneReason = (expiresAt: number, now: number): Extract<EndReason, 'expired' | 'lost'> =>
  now >= expiresAt ? 'expired' : 'lost';
