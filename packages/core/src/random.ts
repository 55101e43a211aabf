import { randomBytes, randomInt } from 'node:crypto';

/** Where core draws randomness: codes, ids, tokens and generated names. */
export interface RandomSource {
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A whole number in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/** A cryptographic random source (node:crypto). */
export const cryptoRandom: RandomSource = {
  bytes: (n) => randomBytes(n),
  int: (maxExclusive) => randomInt(maxExclusive),
};
