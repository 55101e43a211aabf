import {
  HOST,
  type Heartbeat,
  type JoinOutcome,
  type Lookup,
  type NewMessage,
  type NewParticipant,
  type NewSession,
  type ParticipantRecord,
  type RevealOutcome,
  type SendOutcome,
  type SentRecord,
  type SessionFact,
  type Store,
  type StoredMessage,
  type StreamOutcome,
  type ThankOutcome,
} from '@warmshower/core';

type SessionRow = NewSession & { sent: number; revealedAt: number | null; members: string[] };
type MemberRow = NewParticipant & { sent: SentRecord[]; inbox: StoredMessage[]; held: StoredMessage[] };

/**
 * A Store over one flat Map whose keys spell out what they hold: `123456/session`,
 * `123456/member/<id>`, `123456/token/<hash>`, `123456/name/<name key>`, `123456/author/<message
 * id>`, `123456/streams/<holder>`. Ending a session deletes every key under its code; an expired
 * one is treated as gone and swept when next read. One process only (no leases to keep); each
 * method runs without awaiting, so each step is atomic.
 */
export class MapStore implements Store {
  private readonly rows = new Map<string, unknown>();
  private readonly listeners = new Map<string, Set<(fact: SessionFact) => void>>();

  async createSession(session: NewSession, now: number): Promise<boolean> {
    if (this.live(session.code, now)) return false;
    this.forget(session.code);
    this.rows.set(`${session.code}/session`, { ...session, sent: 0, revealedAt: null, members: [] } satisfies SessionRow);
    return true;
  }

  async lookup(code: string, tokenHash: string | null, now: number): Promise<Lookup | null> {
    const row = this.live(code, now);
    if (!row) return null;
    const { members, ...session } = row;
    const id = tokenHash === null ? undefined : (this.rows.get(`${code}/token/${tokenHash}`) as string | undefined);
    const actor: Lookup['actor'] =
      tokenHash !== null && tokenHash === row.hostTokenHash
        ? { kind: 'host' }
        : id
          ? { kind: 'participant', participant: this.view(code, id) }
          : null;
    return { session: { ...session, participantCount: members.length, seq: 0 }, actor };
  }

  async join(code: string, p: NewParticipant, now: number, bounds: { maxParticipants: number }): Promise<JoinOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    if ((session.encryption === 'e2e') !== (p.publicKey !== null)) {
      return { ok: false, reason: p.publicKey ? 'key-unexpected' : 'key-missing' };
    }
    if (this.rows.has(`${code}/name/${p.nameKey}`)) return { ok: false, reason: 'name-taken' };
    if (session.members.length >= bounds.maxParticipants) return { ok: false, reason: 'full' };
    this.rows.set(`${code}/name/${p.nameKey}`, p.id);
    this.rows.set(`${code}/token/${p.tokenHash}`, p.id);
    this.rows.set(`${code}/member/${p.id}`, { ...p, sent: [], inbox: [], held: [] } satisfies MemberRow);
    session.members.push(p.id);
    const participantCount = session.members.length;
    const participant = { id: p.id, displayName: p.displayName, publicKey: p.publicKey };
    this.publish(code, { type: 'joined', participant, participantCount, sent: session.sent });
    return { ok: true, participantCount, expiresAt: session.expiresAt };
  }

  async participants(code: string, now: number): Promise<ParticipantRecord[] | null> {
    return this.live(code, now)?.members.map((id) => this.view(code, id)) ?? null;
  }

  async sentBy(code: string, participantId: string, now: number): Promise<SentRecord[]> {
    return ((this.live(code, now) && this.member(code, participantId)?.sent) || []).map((s) => ({ ...s }));
  }

  async send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const sender = this.member(code, this.rows.get(`${code}/token/${senderTokenHash}`) as string);
    if (!sender) return { ok: false, reason: senderTokenHash === session.hostTokenHash ? 'host' : 'unauthorized' };
    if ((message.kind === 'ciphertext') !== (session.encryption === 'e2e')) return { ok: false, reason: 'wrong-kind' };
    if (message.to === sender.id) return { ok: false, reason: 'self' };
    const recipient = this.member(code, message.to);
    if (!recipient) return { ok: false, reason: 'no-recipient' };
    if (sender.sent.some((s) => s.to === recipient.id)) return { ok: false, reason: 'already-sent' };
    const stored: StoredMessage = { id: message.id, body: message.body, receivedAt: now, thanked: false };
    sender.sent.push({ id: message.id, to: recipient.id, thanked: false });
    this.rows.set(`${code}/author/${message.id}`, sender.id);
    session.sent++;
    const held = session.delivery === 'reveal' && session.revealedAt === null;
    (held ? recipient.held : recipient.inbox).push(stored);
    const counts = { sentCount: sender.sent.length, participantCount: session.members.length, sent: session.sent };
    if (!held) this.publish(code, { type: 'message', to: recipient.id, message: { ...stored } });
    this.publish(code, { type: 'sent', from: sender.id, ...counts });
    return { ok: true, ...counts };
  }

  async inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]> {
    return ((this.live(code, now) && this.member(code, participantId)?.inbox) || []).map((m) => ({ ...m }));
  }

  async reveal(code: string, now: number): Promise<RevealOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    if (session.delivery !== 'reveal') return { ok: false, reason: 'live' };
    if (session.revealedAt !== null) return { ok: false, reason: 'already' };
    session.revealedAt = now;
    for (const id of session.members) {
      const member = this.member(code, id)!;
      const revealed = member.held.sort((a, b) => (a.id < b.id ? -1 : 1)).map((m) => ({ ...m, receivedAt: now }));
      member.inbox = [...revealed, ...member.inbox];
      member.held = [];
    }
    this.publish(code, { type: 'revealed', revealedAt: now });
    return { ok: true, revealedAt: now };
  }

  async extend(code: string, expiresAt: number, ttlSeconds: number, now: number): Promise<boolean> {
    const session = this.live(code, now);
    if (!session) return false;
    Object.assign(session, { expiresAt, ttlSeconds });
    this.publish(code, { type: 'expiry', expiresAt, ttlSeconds });
    return true;
  }

  async thank(code: string, recipientTokenHash: string, messageId: string, now: number): Promise<ThankOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const recipient = this.member(code, this.rows.get(`${code}/token/${recipientTokenHash}`) as string);
    if (!recipient) return { ok: false, reason: recipientTokenHash === session.hostTokenHash ? 'host' : 'unauthorized' };
    const message = recipient.inbox.find((m) => m.id === messageId);
    const author = this.member(code, this.rows.get(`${code}/author/${messageId}`) as string | undefined);
    if (!message || !author) return { ok: false, reason: 'not-found' };
    if (message.thanked) return { ok: false, reason: 'already' };
    message.thanked = true;
    for (const s of author.sent) if (s.id === messageId) s.thanked = true;
    this.publish(code, { type: 'thanked', author: author.id, id: messageId });
    return { ok: true };
  }

  async endSession(code: string, now: number): Promise<boolean> {
    const live = Boolean(this.live(code, now));
    this.forget(code);
    if (live) this.publish(code, { type: 'ended' });
    return live;
  }

  async streamOpened(code: string, holder: string, now: number, limit: number): Promise<StreamOutcome> {
    if (!this.live(code, now) || (holder !== HOST && !this.member(code, holder))) return 'no-session';
    const open = this.streams(code, holder);
    if (open >= limit) return 'too-many';
    this.rows.set(`${code}/streams/${holder}`, open + 1);
    if (open === 0 && holder !== HOST) this.publish(code, { type: 'presence', id: holder, online: true });
    return 'ok';
  }

  async streamClosed(code: string, holder: string, now: number): Promise<void> {
    const open = this.streams(code, holder);
    if (!this.live(code, now) || open === 0) return;
    this.rows.set(`${code}/streams/${holder}`, open - 1);
    if (open === 1 && holder !== HOST) this.publish(code, { type: 'presence', id: holder, online: false });
  }

  async heartbeat(code: string, _holders: ReadonlyMap<string, number>, now: number): Promise<Heartbeat> {
    return this.live(code, now) ? { live: true, seq: 0 } : { live: false };
  }

  async subscribe(code: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>> {
    const entry = (fact: SessionFact) => listener(fact); // one entry per subscription, even for the same function
    if (!this.listeners.has(code)) this.listeners.set(code, new Set());
    this.listeners.get(code)!.add(entry);
    return async () => void this.listeners.get(code)?.delete(entry);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.rows.clear();
    this.listeners.clear();
  }

  /** The session row while it lives; an expired one is swept away. */
  private live(code: string, now: number): SessionRow | undefined {
    const row = this.rows.get(`${code}/session`) as SessionRow | undefined;
    if (row && row.expiresAt <= now) this.forget(code);
    return row && row.expiresAt > now ? row : undefined;
  }

  private member(code: string, id: string | undefined): MemberRow | undefined {
    return id === undefined ? undefined : (this.rows.get(`${code}/member/${id}`) as MemberRow | undefined);
  }

  private streams(code: string, holder: string): number {
    return (this.rows.get(`${code}/streams/${holder}`) as number | undefined) ?? 0;
  }

  private view(code: string, id: string): ParticipantRecord {
    const { displayName, joinedAt, publicKey } = this.member(code, id)!;
    return { id, displayName, joinedAt, online: this.streams(code, id) > 0, publicKey };
  }

  private forget(code: string): void {
    for (const key of this.rows.keys()) if (key.startsWith(`${code}/`)) this.rows.delete(key);
  }

  private publish(code: string, fact: SessionFact): void {
    for (const listener of [...(this.listeners.get(code) ?? [])]) listener(fact);
  }
}
