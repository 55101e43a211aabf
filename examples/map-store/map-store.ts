import type {
  JoinOutcome,
  Lookup,
  NewMessage,
  NewParticipant,
  NewSession,
  ParticipantRecord,
  SendOutcome,
  SessionFact,
  Store,
  StoredMessage,
} from '@warmshower/core';

type SessionRow = NewSession & { sent: number; members: string[] };
type MemberRow = NewParticipant & { streams: number; sentTo: string[]; inbox: StoredMessage[] };

/**
 * A Store over one flat Map whose keys spell out what they hold: `123456/session`,
 * `123456/member/<id>`, `123456/token/<hash>`, `123456/name/<lowercase name>`. Ending a session
 * deletes every key under its code; an expired one is treated as gone and swept when next read.
 * One process only; each method runs without awaiting, so each step is atomic.
 */
export class MapStore implements Store {
  private readonly rows = new Map<string, unknown>();
  private readonly listeners = new Map<string, Set<(fact: SessionFact) => void>>();

  async createSession(session: NewSession, now: number): Promise<boolean> {
    if (this.live(session.code, now)) return false;
    this.forget(session.code);
    this.rows.set(`${session.code}/session`, { ...session, sent: 0, members: [] } satisfies SessionRow);
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
    return { session: { ...session, participantCount: members.length }, actor };
  }

  async join(code: string, p: NewParticipant, now: number): Promise<JoinOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const nameKey = `${code}/name/${p.displayName.toLowerCase()}`;
    if (this.rows.has(nameKey)) return { ok: false, reason: 'name-taken' };
    this.rows.set(nameKey, p.id);
    this.rows.set(`${code}/token/${p.tokenHash}`, p.id);
    this.rows.set(`${code}/member/${p.id}`, { ...p, streams: 0, sentTo: [], inbox: [] } satisfies MemberRow);
    session.members.push(p.id);
    const participantCount = session.members.length;
    const participant = { id: p.id, displayName: p.displayName };
    this.publish(code, { type: 'joined', participant, participantCount, sent: session.sent });
    return { ok: true, participantCount, expiresAt: session.expiresAt };
  }

  async participants(code: string, now: number): Promise<ParticipantRecord[] | null> {
    return this.live(code, now)?.members.map((id) => this.view(code, id)) ?? null;
  }

  async sentTo(code: string, participantId: string, now: number): Promise<string[]> {
    return [...((this.live(code, now) && this.member(code, participantId)?.sentTo) || [])];
  }

  async send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome> {
    const session = this.live(code, now);
    if (!session) return { ok: false, reason: 'no-session' };
    const sender = this.member(code, this.rows.get(`${code}/token/${senderTokenHash}`) as string);
    if (!sender) return { ok: false, reason: senderTokenHash === session.hostTokenHash ? 'host' : 'unauthorized' };
    if (message.to === sender.id) return { ok: false, reason: 'self' };
    const recipient = this.member(code, message.to);
    if (!recipient) return { ok: false, reason: 'no-recipient' };
    if (sender.sentTo.includes(recipient.id)) return { ok: false, reason: 'already-sent' };
    const stored = { id: message.id, text: message.text, receivedAt: message.receivedAt };
    sender.sentTo.push(recipient.id);
    recipient.inbox.push(stored);
    session.sent++;
    const counts = { sentCount: sender.sentTo.length, participantCount: session.members.length, sent: session.sent };
    this.publish(code, { type: 'message', to: recipient.id, message: stored });
    this.publish(code, { type: 'sent', from: sender.id, ...counts });
    return { ok: true, from: sender.id, ...counts };
  }

  async inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]> {
    return [...((this.live(code, now) && this.member(code, participantId)?.inbox) || [])];
  }

  async endSession(code: string): Promise<boolean> {
    const existed = this.rows.has(`${code}/session`);
    this.forget(code);
    if (existed) this.publish(code, { type: 'ended' });
    return existed;
  }

  async streamOpened(code: string, participantId: string, now: number): Promise<boolean> {
    const member = this.live(code, now) && this.member(code, participantId);
    if (!member) return false;
    if (++member.streams === 1) this.publish(code, { type: 'presence', id: member.id, online: true });
    return true;
  }

  async streamClosed(code: string, participantId: string, now: number): Promise<void> {
    const member = this.live(code, now) && this.member(code, participantId);
    if (!member || member.streams === 0) return;
    if (--member.streams === 0) this.publish(code, { type: 'presence', id: member.id, online: false });
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

  private view(code: string, id: string): ParticipantRecord {
    const { displayName, joinedAt, streams } = this.member(code, id)!;
    return { id, displayName, joinedAt, online: streams > 0 };
  }

  private forget(code: string): void {
    for (const key of this.rows.keys()) if (key.startsWith(`${code}/`)) this.rows.delete(key);
  }

  private publish(code: string, fact: SessionFact): void {
    for (const listener of [...(this.listeners.get(code) ?? [])]) listener(fact);
  }
}
