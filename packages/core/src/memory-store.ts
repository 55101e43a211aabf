import { systemClock, type Clock } from './clock.js';
import type {
  JoinOutcome,
  Lookup,
  NewMessage,
  NewParticipant,
  NewSession,
  ParticipantRecord,
  SendOutcome,
  SessionFact,
  SessionRecord,
  Store,
  StoredMessage,
} from './store.js';

interface Participant {
  id: string;
  displayName: string;
  tokenHash: string;
  joinedAt: number;
  streams: number;
  sentTo: string[];
  inbox: StoredMessage[];
}

interface Session extends NewSession {
  sent: number;
  participants: Map<string, Participant>;
  byToken: Map<string, Participant>;
  byName: Map<string, Participant>;
  cancelExpiry: () => void;
}

export interface MemoryStoreOptions {
  /** Sets the timers that drop expired sessions. Default: the system clock. */
  clock?: Clock;
}

/**
 * Keeps sessions in this process's memory: the embedded default for one server process.
 * Every step is synchronous under the hood, so each is atomic. A session's data is dropped by a
 * timer at its expiry (and treated as gone from then on even before), so memory does not grow
 * after sessions end.
 */
export class MemoryStore implements Store {
  private readonly sessions = new Map<string, Session>();
  private readonly listeners = new Map<string, Set<(fact: SessionFact) => void>>();
  private readonly clock: Clock;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** How many sessions are held, expired ones not yet dropped included (for tests and metrics). */
  get size(): number {
    return this.sessions.size;
  }

  /** How many listeners are subscribed across all sessions (for leak checks). */
  get listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  async createSession(session: NewSession, now: number): Promise<boolean> {
    if (this.live(session.code, now)) return false;
    this.drop(session.code);
    const cancelExpiry = this.clock.setTimeout(() => this.dropIfExpired(session.code), session.expiresAt - now);
    this.sessions.set(session.code, {
      ...session,
      sent: 0,
      participants: new Map(),
      byToken: new Map(),
      byName: new Map(),
      cancelExpiry,
    });
    return true;
  }

  async lookup(code: string, tokenHash: string | null, now: number): Promise<Lookup | null> {
    const session = this.live(code, now);
    if (!session) return null;
    let actor: Lookup['actor'] = null;
    if (tokenHash !== null) {
      if (tokenHash === session.hostTokenHash) actor = { kind: 'host' };
      else {
        const p = session.byToken.get(tokenHash);
        if (p) actor = { kind: 'participant', participant: record(p) };
      }
    }
    return { session: summary(session), actor };
  }

  async join(code: string, p: NewParticipant, now: number): Promise<JoinOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const key = p.displayName.toLowerCase();
    if (session.byName.has(key)) return { ok: false, reason: 'name-taken' };
    const participant: Participant = { ...p, streams: 0, sentTo: [], inbox: [] };
    session.participants.set(p.id, participant);
    session.byToken.set(p.tokenHash, participant);
    session.byName.set(key, participant);
    const participantCount = session.participants.size;
    this.publish(code, {
      type: 'joined',
      participant: { id: p.id, displayName: p.displayName },
      participantCount,
      sent: session.sent,
    });
    return { ok: true, participantCount, expiresAt: session.expiresAt };
  }

  async participants(code: string, now: number): Promise<ParticipantRecord[] | null> {
    const session = this.live(code, now);
    return session ? [...session.participants.values()].map(record) : null;
  }

  async sentTo(code: string, participantId: string, now: number): Promise<string[]> {
    return [...(this.live(code, now)?.participants.get(participantId)?.sentTo ?? [])];
  }

  async send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const sender = session.byToken.get(senderTokenHash);
    if (!sender) {
      return { ok: false, reason: senderTokenHash === session.hostTokenHash ? 'host' : 'unauthorized' };
    }
    if (message.to === sender.id) return { ok: false, reason: 'self' };
    const recipient = session.participants.get(message.to);
    if (!recipient) return { ok: false, reason: 'no-recipient' };
    if (sender.sentTo.includes(recipient.id)) return { ok: false, reason: 'already-sent' };
    const stored: StoredMessage = { id: message.id, text: message.text, receivedAt: message.receivedAt };
    sender.sentTo.push(recipient.id);
    recipient.inbox.push(stored);
    session.sent++;
    const counts = { sentCount: sender.sentTo.length, participantCount: session.participants.size, sent: session.sent };
    this.publish(code, { type: 'message', to: recipient.id, message: stored });
    this.publish(code, { type: 'sent', from: sender.id, ...counts });
    return { ok: true, from: sender.id, ...counts };
  }

  async inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]> {
    return [...(this.live(code, now)?.participants.get(participantId)?.inbox ?? [])];
  }

  async endSession(code: string): Promise<boolean> {
    const session = this.sessions.get(code);
    if (!session || session.expiresAt <= this.clock.now()) {
      this.drop(code);
      return false;
    }
    this.drop(code);
    this.publish(code, { type: 'ended' });
    return true;
  }

  async streamOpened(code: string, participantId: string, now: number): Promise<boolean> {
    const p = this.live(code, now)?.participants.get(participantId);
    if (!p) return false;
    if (++p.streams === 1) this.publish(code, { type: 'presence', id: p.id, online: true });
    return true;
  }

  async streamClosed(code: string, participantId: string, now: number): Promise<void> {
    const p = this.live(code, now)?.participants.get(participantId);
    if (!p || p.streams === 0) return;
    if (--p.streams === 0) this.publish(code, { type: 'presence', id: p.id, online: false });
  }

  async subscribe(code: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(code);
    if (!set) this.listeners.set(code, (set = new Set()));
    // Each subscription gets its own wrapper, so the same function may subscribe twice.
    const entry = (fact: SessionFact) => listener(fact);
    set.add(entry);
    return async () => {
      const current = this.listeners.get(code);
      if (!current) return;
      current.delete(entry);
      if (current.size === 0) this.listeners.delete(code);
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    for (const code of [...this.sessions.keys()]) this.drop(code);
    this.listeners.clear();
  }

  private live(code: string, now: number): Session | null {
    const session = this.sessions.get(code);
    if (!session) return null;
    if (session.expiresAt <= now) return null;
    return session;
  }

  private dropIfExpired(code: string): void {
    const session = this.sessions.get(code);
    if (!session) return;
    if (session.expiresAt <= this.clock.now()) this.drop(code);
    else session.cancelExpiry = this.clock.setTimeout(() => this.dropIfExpired(code), session.expiresAt - this.clock.now());
  }

  private drop(code: string): void {
    const session = this.sessions.get(code);
    if (!session) return;
    session.cancelExpiry();
    this.sessions.delete(code);
  }

  private publish(code: string, fact: SessionFact): void {
    const set = this.listeners.get(code);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(fact);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }
}

function record(p: Participant): ParticipantRecord {
  return { id: p.id, displayName: p.displayName, joinedAt: p.joinedAt, online: p.streams > 0 };
}

function summary(s: Session): SessionRecord {
  return {
    code: s.code,
    hostTokenHash: s.hostTokenHash,
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    ttlSeconds: s.ttlSeconds,
    participantCount: s.participants.size,
    sent: s.sent,
  };
}
