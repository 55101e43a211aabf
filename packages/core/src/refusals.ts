// The store's refusals as the errors the rules report: one table per step.
import { errors } from './errors.js';
import type { WarmshowerError } from './protocol/errors.js';
import type { JoinOutcome, SendOutcome, ThankOutcome } from './store.js';

/** Why a store step refused, from its outcome type. */
export type Refusal<T> = Extract<T, { ok: false }> extends { reason: infer R } ? R : never;

export function joinRefusal(reason: Refusal<JoinOutcome>, displayName: string, maxParticipants: number): WarmshowerError {
  const table: Record<Refusal<JoinOutcome>, () => WarmshowerError> = {
    'no-session': errors.sessionNotFound,
    full: () => errors.sessionFull(maxParticipants),
    'key-missing': errors.keyMissing,
    'key-unexpected': errors.keyUnexpected,
    'name-taken': () => errors.nameTaken(displayName),
  };
  return table[reason]();
}

export function sendRefusal(reason: Refusal<SendOutcome>, kind: 'text' | 'ciphertext'): WarmshowerError {
  const table: Record<Refusal<SendOutcome>, () => WarmshowerError> = {
    'no-session': errors.sessionNotFound,
    unauthorized: errors.tokenUnknown,
    host: errors.hostCannotSend,
    'wrong-kind': () => errors.wrongKind(kind === 'text'),
    self: errors.selfMessage,
    'no-recipient': errors.recipientNotFound,
    'already-sent': errors.alreadySent,
  };
  return table[reason]();
}

export function thankRefusal(reason: Refusal<ThankOutcome>): WarmshowerError {
  const table: Record<Refusal<ThankOutcome>, () => WarmshowerError> = {
    'no-session': errors.sessionNotFound,
    unauthorized: errors.tokenUnknown,
    host: errors.onlyRecipientsThank,
    'not-found': errors.messageNotFound,
    already: errors.alreadyThanked,
  };
  return table[reason]();
}
