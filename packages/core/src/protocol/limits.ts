// The numbers of SPEC §1, §8 and §10 in one place, and how characters are counted. Nothing here
// imports anything, so the page and the client bundle exactly the rules the server applies.

/** Limits of the rules. Lengths are Unicode code points. */
export const limits = {
  minTtlSeconds: 10,
  maxTtlSeconds: 86_400,
  defaultTtlSeconds: 3_600,
  maxDisplayName: 40,
  maxText: 1_000,
  /** People in a session by default (rule 8); a server may allow from `minMaxParticipants` to `maxParticipantsCeiling`. */
  defaultMaxParticipants: 250,
  minMaxParticipants: 2,
  maxParticipantsCeiling: 1_000,
  /** Streams one participant (or the host) may hold open at once (rule 8). */
  streamsPerPerson: 5,
  /** Streams one server process holds in all, by default (rule 8). */
  defaultMaxStreams: 10_000,
  /** Largest end-to-end ciphertext, in bytes once decoded (SPEC §10). */
  maxCiphertextBytes: 4_200,
  /** Raw X25519 public key length, in bytes (SPEC §10). */
  publicKeyBytes: 32,
} as const;

/** The number of Unicode code points in `s` (what SPEC calls characters). */
export const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** How long before its end a session warns (rule 10): `min(300 s, ttlSeconds / 5)`, in ms. */
export const warningLeadMs = (ttlSeconds: number): number => Math.min(300, ttlSeconds / 5) * 1000;

/** The sentence for a lifetime out of range, shared by the API, the CLI and the page. */
export const ttlSentence = (field = 'ttlSeconds'): string =>
  `${field} must be a whole number of seconds from ${limits.minTtlSeconds} to ${limits.maxTtlSeconds} (24 hours).`;

/** True for a lifetime the rules accept. */
export const isTtlSeconds = (value: unknown): value is number =>
  typeof value === 'number' &&
  Number.isInteger(value) &&
  value >= limits.minTtlSeconds &&
  value <= limits.maxTtlSeconds;
