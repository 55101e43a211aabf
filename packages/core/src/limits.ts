// The limits of SPEC §1 and how characters are counted: no imports, so the page can bundle
// this file and count exactly as the rules do.

/** Limits of SPEC §1, in one place. Lengths are Unicode code points. */
export const limits = {
  minTtlSeconds: 10,
  maxTtlSeconds: 86_400,
  defaultTtlSeconds: 3_600,
  maxDisplayName: 40,
  maxText: 1_000,
} as const;

/** The number of Unicode code points in `s` (what SPEC calls characters). */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
