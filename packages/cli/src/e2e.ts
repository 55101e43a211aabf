// What the commands say and check about end-to-end sessions (SPEC §10). The cryptography itself
// is @warmshower/client/e2e's; here are only the CLI's sentences around it.
import { publicKeyOf, safetyNumber, type KeyedParticipant } from '@warmshower/client/e2e';
import { CliError, exitCodes } from './exit-codes.js';

/** The safety number over everyone who has a public key (in an end-to-end session, everyone). */
export function keyedSafetyNumber(participants: ReadonlyArray<{ id: string; publicKey?: string | undefined }>): Promise<string> {
  const keyed: KeyedParticipant[] = [];
  for (const { id, publicKey } of participants) if (publicKey) keyed.push({ id, publicKey });
  return safetyNumber(keyed);
}

/** The safety number with what to do with it. */
export const safetyNumberSentence = (number: string): string =>
  `Safety number: ${number}. Read it aloud together: if everyone sees the same number, nobody's key was swapped.`;

/** The usage error for a command that needs `--key` in an end-to-end session. */
export const keyNeeded = (code: string, what: string): CliError =>
  new CliError(
    `Session ${code} is end-to-end encrypted: ${what} needs the private key "warmshower join" printed; ` +
      'pass it with --key or set WARMSHOWER_KEY.',
    exitCodes.usage,
  );

/**
 * Checks that `key` is a private key and the one this participant joined with (its public key is
 * `mine`), so that a key from another session is caught before anything is sent or missed.
 */
export async function checkOwnKey(key: string, code: string, mine: string | undefined): Promise<void> {
  const publicKey = await publicKeyOf(key); // a malformed key: core's INVALID_INPUT sentence
  if (mine !== undefined && publicKey !== mine) {
    throw new CliError(
      `That key is not the one you joined session ${code} with: use the key "warmshower join" printed for this session.`,
      exitCodes.usage,
    );
  }
}
