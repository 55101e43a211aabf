import { systemClock, type Clock } from './clock.js';
import type {
  Heartbeat,
  JoinOutcome,
  Lookup,
  NewMessage,
  NewParticipant,
  NewSession,
  ParticipantRecord,
  RevealOutcome,
  SendOutcome,
  SentRecord,
  SessionFact,
  Store,
  StoredMessage,
  StreamOutcome,
  ThankOutcome,
} from './store.js';
import { HOST, sentRecord, storedMessage } from './store.js';
import { record, summary, type Participant, type Session } from './memory-session.js';

export interface MemoryStoreOptions {
  /** Sets the timers that drop expired sessions. Default: the system clock. */
  clock?: Clock;
}

/**
 * Keeps sessions in this process's memory: the embedded default for one server process.
 * Every step is synchronous under the hood, so each is atomic, and facts cannot be lost. A
 * session's data is dropped by a timer at its expiry (and treated as gone from then on even
 * before), so memory does not grow after sessions end. One process means no leases: streams are
 * counted as they open and close.
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
    // Records are built field by field, never spread: on Node 20 `{ ...a, b }` gives each object a
    // hidden class of its own, and every read of such objects takes V8's slow, megamorphic path.
    this.sessions.set(session.code, {
      code: session.code,
      hostTokenHash: session.hostTokenHash,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      ttlSeconds: session.ttlSeconds,
      delivery: session.delivery,
      encryption: session.encryption,
      sent: 0,
      revealedAt: null,
      participants: new Map(),
      byToken: new Map(),
      byName: new Map(),
      streams: new Map(),
      authors: new Map(),
      cancelExpiry: this.expireAt(session.code, session.expiresAt, now),
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
        if (p) actor = { kind: 'participant', participant: record(session, p) };
      }
    }
    return { session: summary(session), actor };
  }

  async join(code: string, p: NewParticipant, now: number, bounds: { maxParticipants: number }): Promise<JoinOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    if (session.encryption === 'e2e' && !p.publicKey) return { ok: false, reason: 'key-missing' };
    if (session.encryption !== 'e2e' && p.publicKey) return { ok: false, reason: 'key-unexpected' };
    if (session.byName.has(p.nameKey)) return { ok: false, reason: 'name-taken' };
    if (session.participants.size >= bounds.maxParticipants) return { ok: false, reason: 'full' };
    const participant: Participant = {
      id: p.id,
      displayName: p.displayName,
      nameKey: p.nameKey,
      tokenHash: p.tokenHash,
      joinedAt: p.joinedAt,
      publicKey: p.publicKey,
      sent: [],
      inbox: [],
      held: [],
    };
    session.participants.set(p.id, participant);
    session.byToken.set(p.tokenHash, participant);
    session.byName.set(p.nameKey, participant);
    const participantCount = session.participants.size;
    this.publish(code, {
      type: 'joined',
      participant: { id: p.id, displayName: p.displayName, publicKey: p.publicKey },
      participantCount,
      sent: session.sent,
    });
    return { ok: true, participantCount, expiresAt: session.expiresAt };
  }

  async participants(code: string, now: number): Promise<ParticipantRecord[] | null> {
    const session = this.live(code, now);
    return session ? [...session.participants.values()].map((p) => record(session, p)) : null;
  }

  async sentBy(code: string, participantId: string, now: number): Promise<SentRecord[]> {
    return (this.live(code, now)?.participants.get(participantId)?.sent ?? []).map(sentRecord);
  }

  async send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const sender = session.byToken.get(senderTokenHash);
    if (!sender) return { ok: false, reason: senderTokenHash === session.hostTokenHash ? 'host' : 'unauthorized' };
    if ((message.kind === 'ciphertext') !== (session.encryption === 'e2e')) return { ok: false, reason: 'wrong-kind' };
    if (message.to === sender.id) return { ok: false, reason: 'self' };
    const recipient = session.participants.get(message.to);
    if (!recipient) return { ok: false, reason: 'no-recipient' };
    if (sender.sent.some((s) => s.to === recipient.id)) return { ok: false, reason: 'already-sent' };
    const stored: StoredMessage = { id: message.id, body: message.body, receivedAt: now, thanked: false };
    sender.sent.push({ id: message.id, to: recipient.id, thanked: false });
    session.authors.set(message.id, sender);
    session.sent++;
    const held = session.delivery === 'reveal' && session.revealedAt === null;
    (held ? recipient.held : recipient.inbox).push(stored);
    const counts = { sentCount: sender.sent.length, participantCount: session.participants.size, sent: session.sent };
    if (!held) this.publish(code, { type: 'message', to: recipient.id, message: storedMessage(stored) });
    this.publish(code, { type: 'sent', from: sender.id, ...counts });
    return { ok: true, ...counts };
  }

  async inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]> {
    return (this.live(code, now)?.participants.get(participantId)?.inbox ?? []).map(storedMessage);
  }

  async reveal(code: string, now: number): Promise<RevealOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    if (session.delivery !== 'reveal') return { ok: false, reason: 'live' };
    if (session.revealedAt !== null) return { ok: false, reason: 'already' };
    session.revealedAt = now;
    for (const p of session.participants.values()) {
      // Ordered by id, which is random: the order of sending does not show.
      const revealed = p.held
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((m) => ({ id: m.id, body: m.body, receivedAt: now, thanked: m.thanked }));
      p.inbox = [...revealed, ...p.inbox];
      p.held = [];
    }
    this.publish(code, { type: 'revealed', revealedAt: now });
    return { ok: true, revealedAt: now };
  }

  async extend(code: string, expiresAt: number, ttlSeconds: number, now: number): Promise<boolean> {
    const session = this.live(code, now);
    if (!session) return false;
    session.cancelExpiry();
    session.expiresAt = expiresAt;
    session.ttlSeconds = ttlSeconds;
    session.cancelExpiry = this.expireAt(code, expiresAt, now);
    this.publish(code, { type: 'expiry', expiresAt, ttlSeconds });
    return true;
  }

  async thank(code: string, recipientTokenHash: string, messageId: string, now: number): Promise<ThankOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const recipient = session.byToken.get(recipientTokenHash);
    if (!recipient) return { ok: false, reason: recipientTokenHash === session.hostTokenHash ? 'host' : 'unauthorized' };
    const message = recipient.inbox.find((m) => m.id === messageId);
    const author = session.authors.get(messageId);
    if (!message || !author) return { ok: false, reason: 'not-found' };
    if (message.thanked) return { ok: false, reason: 'already' };
    message.thanked = true;
    const sent = author.sent.find((s) => s.id === messageId);
    if (sent) sent.thanked = true;
    this.publish(code, { type: 'thanked', author: author.id, id: messageId });
    return { ok: true };
  }

  async endSession(code: string, now: number): Promise<boolean> {
    const live = this.live(code, now);
    this.drop(code);
    if (!live) return false;
    this.publish(code, { type: 'ended' });
    return true;
  }

  async streamOpened(code: string, holder: string, now: number, limit: number): Promise<StreamOutcome> {
    const session = this.live(code, now);
    if (!session || (holder !== HOST && !session.participants.has(holder))) return 'no-session';
    const open = session.streams.get(holder) ?? 0;
    if (open >= limit) return 'too-many';
    session.streams.set(holder, open + 1);
    if (open === 0 && holder !== HOST) this.publish(code, { type: 'presence', id: holder, online: true });
    return 'ok';
  }

  async streamClosed(code: string, holder: string, now: number): Promise<void> {
    const session = this.live(code, now);
    const open = session?.streams.get(holder) ?? 0;
    if (!session || open === 0) return;
    if (open > 1) session.streams.set(holder, open - 1);
    else {
      session.streams.delete(holder);
      if (holder !== HOST) this.publish(code, { type: 'presence', id: holder, online: false });
    }
  }

  async heartbeat(code: string, _holders: ReadonlyMap<string, number>, now: number): Promise<Heartbeat> {
    return this.live(code, now) ? { live: true, seq: 0 } : { live: false };
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

  /** A timer that drops the session once its time is up (`extend` replaces it; a clock never fires early). */
  private expireAt(code: string, expiresAt: number, now: number): () => void {
    return this.clock.setTimeout(() => {
      const session = this.sessions.get(code);
      if (session && session.expiresAt <= this.clock.now()) this.drop(code);
    }, expiresAt - now);
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
