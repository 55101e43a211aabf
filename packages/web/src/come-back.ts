// Coming back after a tab closed: this browser keeps each person's pass (storage.ts), and a tab
// without one of its own may continue as one of them, once the server still knows their tokens.
import { spacedCode } from '@warmshower/core/protocol';
import { clientFor } from './paths.js';
import { codeOf, sessionGone } from './sentences.js';
import { forgetKept, forgetPass, savePass, type Pass } from './storage.js';

/** Who a kept pass is, for a button: "Dev", "the host", or "Dev (the host)". */
export function personName(pass: Pass): string {
  if (!pass.participant) return 'the host';
  return pass.hostToken ? `${pass.participant.displayName} (the host)` : pass.participant.displayName;
}

/** Why an earlier visit cannot be continued: the session is over, or it no longer knows that person. */
export function cannotComeBackSentence(pass: Pass, reason: 'gone' | 'unknown'): string {
  return reason === 'gone'
    ? `Your earlier visit can no longer be continued: session ${spacedCode(pass.code)} has ended or expired.`
    : `Your earlier visit as ${personName(pass)} can no longer be continued: this session no longer knows that pass. Join as someone new below.`;
}

/**
 * Checks a kept pass's tokens with the server and makes it this tab's: the pass to enter, or the
 * sentence why it cannot be (and then it is forgotten). Any other failure (the network, a busy
 * server) lets the tab in: the session view says what it meets, as after a reload.
 */
export async function comeBack(kept: Pass): Promise<{ pass: Pass } | { refused: string }> {
  const tokens = [kept.hostToken, kept.participant?.token].filter((token): token is string => Boolean(token));
  try {
    await Promise.all(tokens.map((token) => clientFor(token).getSession(kept.code)));
  } catch (failure) {
    if (sessionGone(failure)) {
      forgetPass(kept.code);
      return { refused: cannotComeBackSentence(kept, 'gone') };
    }
    if (codeOf(failure) === 'UNAUTHORIZED') {
      forgetKept(kept);
      return { refused: cannotComeBackSentence(kept, 'unknown') };
    }
  }
  savePass(kept);
  return { pass: kept };
}
