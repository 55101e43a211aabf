import type { EndReason, Encryption, Progress, StreamEvent } from '../protocol/types.js';
import type { ParticipantRecord, SentRecord, SessionFact, SessionRecord, StoredMessage } from '../store.js';
import { inboxMessage, isComplete, iso, participantView, possible, progressOf, warnAt } from '../views.js';

/** What a stream re-reads from the store to start, or to catch up after it may have missed facts. */
export interface Snapshot {
  session: SessionRecord | null;
  people: ParticipantRecord[];
  /** A participant's own messages (empty for the host). */
  sent: SentRecord[];
  /** A participant's visible inbox (empty for the host). */
  inbox: StoredMessage[];
}

/** Events that every stream of a session receives alike are made once per fact and shared. */
export type SharedEvents = Map<string, StreamEvent>;

const shared = (cache: SharedEvents | undefined, key: string, make: () => StreamEvent): StreamEvent => {
  if (!cache) return make();
  let event = cache.get(key);
  if (!event) cache.set(key, (event = make()));
  return event;
};

/**
 * One listener's view of a session. It remembers what it has told its listener (who is there and
 * online, which messages were delivered, the counts), so that facts and catch-up snapshots both
 * become exactly the events still due: nothing lost, nothing twice, in order.
 */
export class LiveStream {
  closed = false;
  ended = false;
  /** True once `start` has run: only a started stream catches up. */
  started = false;
  /** Called once when the stream ends by itself (session over): the owner closes the connection. */
  onEnd: () => void = () => undefined;
  private live = false;
  /** Facts that arrived while the stream was starting or catching up; applied after. */
  private pending: SessionFact[] = [];
  private readonly online = new Map<string, boolean>();
  private readonly delivered = new Set<string>();
  private readonly thanked = new Set<string>();
  private sentCount = 0;
  private participantCount = 0;
  private complete = false;
  private progress: Progress | null = null;
  private expiresAt = 0;
  private ttlSeconds = 0;
  private revealed = false;
  private warnedFor: number | null = null;

  constructor(
    readonly me: string | null,
    private readonly encryption: Encryption,
    private readonly listener: (event: StreamEvent) => void,
  ) {}

  /** Sends `ready`, the inbox after `lastEventId`, and what is due now; then facts flow. */
  start(snapshot: Snapshot & { session: SessionRecord }, lastEventId: string | null, now: number): void {
    const { session, people, sent, inbox } = snapshot;
    this.started = true;
    for (const p of people) this.online.set(p.id, p.online);
    this.participantCount = people.length;
    this.sentCount = sent.length;
    this.complete = this.me !== null && isComplete(this.sentCount, this.participantCount);
    for (const s of sent) if (s.thanked) this.thanked.add(s.id);
    this.expiresAt = session.expiresAt;
    this.ttlSeconds = session.ttlSeconds;
    this.revealed = session.revealedAt !== null;
    this.emit({
      event: 'ready',
      data: {
        you: this.me ? { id: this.me } : { host: true },
        participants: people.map((p) => participantView(p, this.encryption)),
        sentTo: sent.map((s) => s.to),
        complete: this.complete,
        expiresAt: iso(session.expiresAt),
        delivery: session.delivery,
        revealed: this.revealed,
        encryption: this.encryption,
        ...(this.me ? { sent: sent.map((s) => ({ id: s.id, to: s.to, thanked: s.thanked })) } : {}),
      },
    });
    if (!this.me) this.setProgress(progressOf(session));
    // An id we do not know counts as none: the whole inbox is replayed.
    const after = lastEventId ? inbox.findIndex((m) => m.id === lastEventId) : -1;
    inbox.forEach((m, i) => {
      this.delivered.add(m.id);
      if (i > after) this.emit({ event: 'message', id: m.id, data: inboxMessage(m, this.encryption) });
    });
    if (now >= warnAt(session) && now < session.expiresAt) this.warn();
    this.flush();
  }

  /** Facts pause while a snapshot is read; `catchUp` (or `resume`, if reading failed) lets them flow. */
  pause(): void {
    this.live = false;
  }

  resume(): void {
    if (!this.live) this.flush();
  }

  /** Tells what changed since the listener last heard, from a fresh snapshot (after missed facts). */
  catchUp(snapshot: Snapshot, now: number): void {
    if (this.closed) return;
    const { session } = snapshot;
    if (!session) {
      this.end(now >= this.expiresAt ? 'expired' : 'lost');
      return;
    }
    if (session.expiresAt !== this.expiresAt) this.expiryChanged(session.expiresAt, session.ttlSeconds);
    if (session.revealedAt !== null && !this.revealed) this.reveal();
    for (const p of snapshot.people) {
      if (!this.online.has(p.id)) this.joined({ id: p.id, displayName: p.displayName, publicKey: p.publicKey });
      if (p.id !== this.me && this.online.get(p.id) !== p.online) this.presence(p.id, p.online);
    }
    this.participantCount = snapshot.people.length;
    if (this.me) {
      this.sentCount = snapshot.sent.length;
      this.settleCompletion();
      for (const s of snapshot.sent) if (s.thanked) this.thank(s.id);
      for (const m of snapshot.inbox) this.deliver(m);
    } else this.setProgress(progressOf(session), true);
    if (now >= warnAt(session) && now < session.expiresAt) this.warn();
    this.flush();
  }

  onFact(fact: SessionFact, cache?: SharedEvents): void {
    if (this.closed) return;
    if (!this.live) {
      this.pending.push(fact);
      return;
    }
    switch (fact.type) {
      case 'joined':
        if (!this.joined(fact.participant, cache)) return;
        this.participantCount = Math.max(this.participantCount, fact.participantCount);
        if (this.me) this.settleCompletion();
        else this.setProgress({ sent: fact.sent, possible: possible(fact.participantCount) });
        return;
      case 'presence':
        if (fact.id !== this.me && this.online.has(fact.id) && this.online.get(fact.id) !== fact.online) {
          this.presence(fact.id, fact.online, cache);
        }
        return;
      case 'message':
        if (fact.to === this.me) this.deliver(fact.message);
        return;
      case 'sent':
        if (!this.me) this.setProgress({ sent: fact.sent, possible: possible(fact.participantCount) });
        else if (fact.from === this.me) {
          this.sentCount = Math.max(this.sentCount, fact.sentCount);
          this.participantCount = Math.max(this.participantCount, fact.participantCount);
          this.settleCompletion();
        }
        return;
      case 'revealed':
        if (!this.revealed) this.reveal(cache);
        return;
      case 'expiry':
        if (fact.expiresAt !== this.expiresAt) this.expiryChanged(fact.expiresAt, fact.ttlSeconds, cache);
        return;
      case 'thanked':
        if (fact.author === this.me) this.thank(fact.id);
        return;
      case 'ended':
        this.end('ended', cache);
        return;
      case 'resync':
        return; // the watch re-reads the session and calls catchUp
    }
  }

  /** `expiring`, once for each expiry (rule 10). */
  warn(cache?: SharedEvents): void {
    if (this.warnedFor === this.expiresAt || this.closed) return;
    this.warnedFor = this.expiresAt;
    const expiresAt = this.expiresAt;
    this.emit(shared(cache, 'expiring', () => ({ event: 'expiring', data: { expiresAt: iso(expiresAt) } })));
  }

  /** `session-ended` and the end of the stream. */
  end(reason: EndReason, cache?: SharedEvents): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    this.emit(shared(cache, `ended:${reason}`, () => ({ event: 'session-ended', data: { reason } })));
    this.closed = true;
    this.onEnd();
  }

  private flush(): void {
    this.live = true;
    for (const fact of this.pending.splice(0)) this.onFact(fact);
  }

  /** Tells of a newcomer; false when the listener knows them already. */
  private joined(p: { id: string; displayName: string; publicKey: string | null }, cache?: SharedEvents): boolean {
    if (this.online.has(p.id)) return false;
    this.online.set(p.id, false);
    const encrypted = this.encryption === 'e2e' && p.publicKey;
    this.emit(
      shared(cache, 'joined', () => ({
        event: 'participant-joined',
        data: { id: p.id, displayName: p.displayName, ...(encrypted ? { publicKey: p.publicKey! } : {}) },
      })),
    );
    return true;
  }

  private presence(id: string, online: boolean, cache?: SharedEvents): void {
    this.online.set(id, online);
    this.emit(shared(cache, 'presence', () => ({ event: 'presence', data: { id, online } })));
  }

  private deliver(m: StoredMessage): void {
    if (this.delivered.has(m.id)) return;
    this.delivered.add(m.id);
    this.emit({ event: 'message', id: m.id, data: inboxMessage(m, this.encryption) });
  }

  private reveal(cache?: SharedEvents): void {
    this.revealed = true;
    this.emit(shared(cache, 'revealed', () => ({ event: 'revealed', data: {} })));
  }

  private expiryChanged(expiresAt: number, ttlSeconds: number, cache?: SharedEvents): void {
    this.expiresAt = expiresAt;
    this.ttlSeconds = ttlSeconds;
    this.emit(shared(cache, 'expiry', () => ({ event: 'expiry-changed', data: { expiresAt: iso(expiresAt) } })));
  }

  private thank(id: string): void {
    if (this.thanked.has(id)) return;
    this.thanked.add(id);
    this.emit({ event: 'thanked', data: { id } });
  }

  /** `complete` when the last one goes out; `incomplete` when a newcomer reopens the list (rule 5). */
  private settleCompletion(): void {
    const now = isComplete(this.sentCount, this.participantCount);
    if (now === this.complete) return;
    this.complete = now;
    this.emit(
      now
        ? { event: 'complete', data: { sentCount: this.sentCount } }
        : {
            event: 'incomplete',
            data: { sentCount: this.sentCount, remaining: Math.max(0, this.participantCount - 1 - this.sentCount) },
          },
    );
  }

  /** The host's counts: after every join and send (SPEC §3); a catch-up tells them only when they changed. */
  private setProgress(next: Progress, onlyIfChanged = false): void {
    const same = this.progress?.sent === next.sent && this.progress?.possible === next.possible;
    if (onlyIfChanged && same) return;
    this.progress = next;
    this.emit({ event: 'progress', data: next });
  }

  private emit(event: StreamEvent): void {
    if (this.closed) return;
    try {
      this.listener(event);
    } catch {
      // A listener that throws (a broken socket) must not break delivery to the others.
    }
  }
}
