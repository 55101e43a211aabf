// The store's refusals as the errors the rules report: one table per step.
import { errors } from './errors.js';
import type { WarmshowerError } from './protocol/errors.js';
import type { JoinOutcome, SendOutcome, ThankOutcome } from './store.js';

type Refusal<T> = Extract<T, { ok: false }> extends { reason: infer R } ? R : never;

export function joinRefusal(reason: Refusal<JoinOutcome>, displayName: string, maxParticipants: number): WarmshowerError {
  switch (reason) {
    case 'no-session':
      return errors.sessionNotFound();
    case 'full':
      return errors.sessionFull(maxParticipants);
    case 'key-missing':
      return errors.keyMissing();
    case 'key-unexpected':
      return errors.keyUnexpected();
    case 'name-taken':
      return errors.nameTaken(displayName);
  }
}

export function sendRefusal(reason: Refusal<SendOutcome>, kind: 'text' | 'ciphertext'): WarmshowerError {
  switch (reason) {
    case 'no-session':
      return errors.sessionNotFound();
    case 'unauthorized':
      return errors.tokenUnknown();
    case 'host':
      return errors.hostCannotSend();
    case 'wrong-kind':
      return errors.wrongKind(kind === 'text');
    case 'self':
      return errors.selfMessage();
    case 'no-recipient':
      return errors.recipientNotFound();
    case 'already-sent':
      return errors.alreadySent();
  }
}

export function thankRefusal(reason: Refusal<ThankOutcome>): WarmshowerError {
  switch (reason) {
    case 'no-session':
      return errors.sessionNotFound();
    case 'unauthorized':
      return errors.tokenUnknown();
    case 'host':
      return errors.onlyRecipientsThank();
    case 'not-found':
      return errors.messageNotFound();
    case 'already':
      return errors.alreadyThanked();
  }
}
