/** True for a string that could be a session code: six digits (leading zeros kept). */
export const isSessionCode = (code: unknown): code is string => typeof code === 'string' && /^\d{6}$/.test(code);

/** A six-digit code from what a person typed ("123 456", "123-456"), or null. */
export function normaliseCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return isSessionCode(digits) ? digits : null;
}

/** "123 456": easier to read out in a meeting. */
export const spacedCode = (code: string): string => `${code.slice(0, 3)} ${code.slice(3)}`;
