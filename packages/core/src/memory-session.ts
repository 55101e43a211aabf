// What MemoryStore keeps for a session, and how it reads back as the Store's records.
import type { NewParticipant, NewSession, ParticipantRecord, SentRecord, SessionRecord, StoredMessage } from './store.js';

export interface Participant extends NewParticipant {
  sent: SentRecord[];
  /** Visible messages, in the order shown. */
  inbox: StoredMessage[];
  /** A reveal session's messages before the reveal. */
  held: StoredMessage[];
}

export interface Session extends NewSession {
  sent: number;
  revealedAt: number | null;
  participants: Map<string, Participant>;
  byToken: Map<string, Participant>;
  byName: Map<string, Participant>;
  /** Open streams per holder (participant id or HOST). */
  streams: Map<string, number>;
  /** Message id → author, to tell the author of a thank-you (never shown to anyone). */
  authors: Map<string, Participant>;
  cancelExpiry: () => void;
}

export function record(session: Session, p: Participant): ParticipantRecord {
  return {
    id: p.id,
    displayName: p.displayName,
    joinedAt: p.joinedAt,
    online: (session.streams.get(p.id) ?? 0) > 0,
    publicKey: p.publicKey,
  };
}

export function summary(s: Session): SessionRecord {
  return {
    code: s.code,
    hostTokenHash: s.hostTokenHash,
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    ttlSeconds: s.ttlSeconds,
    delivery: s.delivery,
    encryption: s.encryption,
    participantCount: s.participants.size,
    sent: s.sent,
    revealedAt: s.revealedAt,
    seq: 0,
  };
}
