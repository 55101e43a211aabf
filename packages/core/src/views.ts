// Records of the store turned into what the API shows (SPEC §2, §3), in one place.
import type { Encryption, InboxMessage, ParticipantView, Progress, SessionSummary } from './protocol/types.js';
import { warningLeadMs } from './protocol/limits.js';
import type { ParticipantRecord, SessionRecord, StoredMessage } from './store.js';

let lastMs = Number.NaN;
let lastIso = '';
/**
 * A time as the API shows it. The last one is kept: the messages, counts and events of a busy
 * second share their millisecond more often than not, and `toISOString` was ~1–2.5% of a send.
 */
export const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};

/** n·(n−1): every ordered pair of the n participants. */
export const possible = (n: number): number => n * (n - 1);

/** Complete: sent to every other current participant, and there is at least one (rule 5). */
export const isComplete = (sentCount: number, participantCount: number): boolean =>
  participantCount >= 2 && sentCount >= participantCount - 1;

export const progressOf = (session: Pick<SessionRecord, 'sent' | 'participantCount'>): Progress => ({
  sent: session.sent,
  possible: possible(session.participantCount),
});

export function participantView(p: ParticipantRecord, encryption: Encryption): ParticipantView {
  const view: ParticipantView = { id: p.id, displayName: p.displayName, online: p.online };
  if (encryption === 'e2e' && p.publicKey) view.publicKey = p.publicKey;
  return view;
}

export function inboxMessage(m: StoredMessage, encryption: Encryption): InboxMessage {
  // Literals, not spreads: on Node 20 an object built as `{ ...base, text }` gets a hidden class
  // of its own, which makes every read of it (JSON.stringify's included) a slow lookup.
  const receivedAt = iso(m.receivedAt);
  if (encryption === 'e2e') {
    return m.thanked ? { id: m.id, receivedAt, thanked: true, ciphertext: m.body } : { id: m.id, receivedAt, ciphertext: m.body };
  }
  return m.thanked ? { id: m.id, receivedAt, thanked: true, text: m.body } : { id: m.id, receivedAt, text: m.body };
}

export function sessionSummary(session: SessionRecord, withProgress: boolean): SessionSummary {
  const summary: SessionSummary = {
    code: session.code,
    expiresAt: iso(session.expiresAt),
    participantCount: session.participantCount,
    delivery: session.delivery,
    revealed: session.revealedAt !== null,
    encryption: session.encryption,
  };
  if (withProgress) summary.progress = progressOf(session);
  return summary;
}

/** When the session warns that it is ending (rule 10). */
export const warnAt = (session: Pick<SessionRecord, 'expiresAt' | 'ttlSeconds'>): number =>
  session.expiresAt - warningLeadMs(session.ttlSeconds);

/** A reveal session whose warning has come reveals itself (rule 9). */
export const revealDue = (session: SessionRecord, now: number): boolean =>
  session.delivery === 'reveal' && session.revealedAt === null && now >= warnAt(session);
