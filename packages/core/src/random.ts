import { randomBytes, randomInt } from 'node:crypto';

/** Where core draws randomness: codes, ids, tokens and generated names. */
export interface RandomSource {
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A whole number in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

// Ids and tokens are drawn from a pool filled 4 KiB at a time: one call into OpenSSL per few
// hundred sends instead of one per id (it showed in the profile of a send).
let pool = Buffer.alloc(0);
let used = 0;

/** A cryptographic random source (node:crypto). */
export const cryptoRandom: RandomSource = {
  bytes(n) {
    if (used + n > pool.length) {
      pool = randomBytes(Math.max(4096, n));
      used = 0;
    }
    const out = pool.subarray(used, used + n);
    used += n;
    return Uint8Array.from(out);
  },
  int: (maxExclusive) => randomInt(maxExclusive),
};
