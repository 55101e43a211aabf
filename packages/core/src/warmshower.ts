import { createHash } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import { errors, isWarmshowerError, WarmshowerError } from './errors.js';
import { friendlyName } from './names.js';
import { cryptoRandom, type RandomSource } from './random.js';
import type { Actor, Lookup, ParticipantRecord, SessionFact, SessionRecord, Store, StoredMessage } from './store.js';
import type {
  CreatedSession,
  InboxMessage,
  JoinedParticipant,
  ParticipantList,
  ParticipantView,
  Progress,
  SendReceipt,
  SessionSummary,
  StreamEvent,
} from './types.js';
import { isSessionCode, limits, parseCreateSession, parseJoin, parseSend } from './validation.js';

export interface WarmshowerOptions {
  store: Store;
  /** Lifetime of a session created without `ttlSeconds` (10 to 86400). Default 3600. */
  defaultTtlSeconds?: number;
  clock?: Clock;
  random?: RandomSource;
}

export interface ConnectOptions {
  /** The id of the last message this client received (SSE `Last-Event-ID`). */
  lastEventId?: string | null;
}

/** An open live stream. Closing it twice is harmless. */
export interface Connection {
  /** Who is listening. */
  readonly you: { id: string } | { host: true };
  close(): Promise<void>;
}

/** SHA-256 of a secret, hex: what stores keep instead of tokens. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const iso = (ms: number): string => new Date(ms).toISOString();
const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const possible = (n: number): number => n * (n - 1);
/** Complete: sent to every other current participant, and there is at least one. */
const isComplete = (sentCount: number, participantCount: number): boolean =>
  participantCount >= 2 && sentCount >= participantCount - 1;

const toView = (p: ParticipantRecord): ParticipantView => ({ id: p.id, displayName: p.displayName, online: p.online });
const toInbox = (m: StoredMessage): InboxMessage => ({ id: m.id, text: m.text, receivedAt: iso(m.receivedAt) });

/**
 * The rules of a warm shower (SPEC §1) over a Store. Hosts (HTTP, CLI, page) turn their input into
 * calls here and map `WarmshowerError` codes to their own replies; nothing here knows HTTP.
 *
 * Methods that take a body take it as `unknown` (or `INVALID_JSON`) and validate it themselves,
 * so that every host reports problems in the same order: session, credentials, input, state.
 */
export class Warmshower {
  readonly store: Store;
  readonly defaultTtlSeconds: number;
  /** The clock every rule reads: hosts use it too (cookie lifetimes), so tests move one clock. */
  readonly clock: Clock;
  private readonly random: RandomSource;

  constructor(options: WarmshowerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoRandom;
    const ttl = options.defaultTtlSeconds ?? limits.defaultTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < limits.minTtlSeconds || ttl > limits.maxTtlSeconds) {
      throw new RangeError(
        `The default session lifetime must be a whole number of seconds from ${limits.minTtlSeconds} to ${limits.maxTtlSeconds}; got ${ttl}.`,
      );
    }
    this.defaultTtlSeconds = ttl;
  }

  /** Creates a session with a fresh six-digit code; the reply holds the only copy of the host token. */
  async createSession(input?: unknown): Promise<CreatedSession> {
    const parsed = parseCreateSession(input);
    if (!parsed.ok) throw parsed.error;
    const ttlSeconds = parsed.value.ttlSeconds ?? this.defaultTtlSeconds;
    const hostToken = this.newToken();
    const createdAt = this.clock.now();
    const expiresAt = createdAt + ttlSeconds * 1000;
    // A million codes and sessions of at most a day: a clash is rare, a few retries settle it.
    for (let attempt = 0; attempt < 50; attempt++) {
      const code = String(this.random.int(1_000_000)).padStart(6, '0');
      const created = await this.guard(() =>
        this.store.createSession({ code, hostTokenHash: hashToken(hostToken), createdAt, expiresAt, ttlSeconds }, createdAt),
      );
      if (created) return { code, hostToken, expiresAt: iso(expiresAt), ttlSeconds, delivery: 'live', encryption: 'none' };
    }
    throw new WarmshowerError('STORE_UNAVAILABLE', 'No free session code could be found right now; try again in a moment.');
  }

  /** Public facts of a session; with the host token also its progress. */
  async getSession(code: string, token?: string | null): Promise<SessionSummary> {
    const { session, actor } = await this.lookup(code, token ?? null);
    if (token && !actor) throw errors.tokenUnknown();
    const summary: SessionSummary = {
      code: session.code,
      expiresAt: iso(session.expiresAt),
      participantCount: session.participantCount,
      delivery: 'live',
      revealed: false,
      encryption: 'none',
    };
    if (actor?.kind === 'host') summary.progress = { sent: session.sent, possible: possible(session.participantCount) };
    return summary;
  }

  /** Adds a participant; without a name (or a blank one) they get a friendly generated one. */
  async join(code: string, input?: unknown): Promise<JoinedParticipant> {
    const parsed = parseJoin(input);
    if (!parsed.ok) {
      await this.lookup(code, null); // a missing session outranks bad input
      throw parsed.error;
    }
    if (!isSessionCode(code)) throw errors.sessionNotFound();
    const chosen = parsed.value.displayName || null;
    const token = this.newToken();
    const id = base64url(this.random.bytes(9));
    for (let attempt = 0; ; attempt++) {
      const displayName = chosen ?? friendlyName(this.random, attempt);
      const now = this.clock.now();
      const outcome = await this.guard(() =>
        this.store.join(code, { id, displayName, tokenHash: hashToken(token), joinedAt: now }, now),
      );
      if (outcome.ok) return { id, token, displayName, expiresAt: iso(outcome.expiresAt) };
      if (outcome.reason === 'no-session') throw errors.sessionNotFound();
      if (chosen !== null || attempt >= 20) throw errors.nameTaken(displayName);
    }
  }

  /** Everyone in the session with presence; a participant also gets their own progress as `me`. */
  async participants(code: string, token: string | null | undefined): Promise<ParticipantList> {
    const { actor } = await this.authenticate(code, token);
    const now = this.clock.now();
    const me = actor.kind === 'participant' ? actor.participant.id : null;
    const [people, sentTo] = await this.guard(() =>
      Promise.all([this.store.participants(code, now), me ? this.store.sentTo(code, me, now) : Promise.resolve([])]),
    );
    if (!people) throw errors.sessionNotFound();
    const list: ParticipantList = { participants: people.map(toView) };
    if (me) list.me = { id: me, sentTo, complete: isComplete(sentTo.length, people.length) };
    return list;
  }

  /** Sends one warm shower from the token's owner to `input.to`. */
  async send(code: string, token: string | null | undefined, input: unknown): Promise<SendReceipt> {
    const parsed = parseSend(input);
    if (!parsed.ok || !token || !isSessionCode(code)) {
      // Slow path: report session and credential problems before input problems.
      const { actor } = await this.authenticate(code, token);
      if (actor.kind === 'host') throw errors.hostCannotSend();
      if (!parsed.ok) throw parsed.error;
    }
    if (!parsed.ok || !token) throw errors.tokenMissing(); // unreachable; narrows types
    const { to, text } = parsed.value;
    const now = this.clock.now();
    const id = base64url(this.random.bytes(9));
    // Fast path: one atomic store step checks everything and records the message.
    const outcome = await this.guard(() =>
      this.store.send(code, hashToken(token), { id, to, text, receivedAt: now }, now),
    );
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'no-session':
          throw errors.sessionNotFound();
        case 'unauthorized':
          throw errors.tokenUnknown();
        case 'host':
          throw errors.hostCannotSend();
        case 'self':
          throw errors.selfMessage();
        case 'no-recipient':
          throw errors.recipientNotFound();
        case 'already-sent':
          throw errors.alreadySent();
      }
    }
    return {
      id,
      to,
      sentCount: outcome.sentCount,
      remaining: Math.max(0, outcome.participantCount - 1 - outcome.sentCount),
      complete: isComplete(outcome.sentCount, outcome.participantCount),
    };
  }

  /** Ends the session (host only): all its data goes at once and every stream hears `session-ended`. */
  async end(code: string, token: string | null | undefined): Promise<void> {
    const { actor } = await this.authenticate(code, token);
    if (actor.kind !== 'host') throw errors.hostOnly('end the session');
    const ended = await this.guard(() => this.store.endSession(code));
    if (!ended) throw errors.sessionNotFound();
  }

  /**
   * Opens a live stream for a participant or the host (SPEC §3). `listener` first gets `ready`,
   * then (for a participant) their inbox after `lastEventId` oldest first, then live events, with
   * nothing lost and nothing repeated. After `session-ended` the connection closes itself.
   */
  async connect(
    code: string,
    token: string | null | undefined,
    options: ConnectOptions,
    listener: (event: StreamEvent) => void,
  ): Promise<Connection> {
    const { session, actor } = await this.authenticate(code, token);
    const me = actor.kind === 'participant' ? actor.participant.id : null;
    const stream = new LiveStream(me, listener);
    stream.unsubscribe = await this.guard(() => this.store.subscribe(code, (fact) => stream.onFact(fact)));
    let opened = false;
    const close = async (): Promise<void> => {
      if (stream.closed) return;
      stream.closed = true;
      stream.cancelExpiry?.();
      await stream.unsubscribe?.().catch(() => undefined);
      if (opened && me && !stream.ended) {
        await this.store.streamClosed(code, me, this.clock.now()).catch(() => undefined);
      }
    };
    stream.close = close;
    try {
      const now = this.clock.now();
      if (me) {
        opened = await this.guard(() => this.store.streamOpened(code, me, now));
        if (!opened) throw errors.sessionNotFound();
      }
      const [fresh, people, sentTo, inbox] = await this.guard(() =>
        Promise.all([
          this.store.lookup(code, null, now),
          this.store.participants(code, now),
          me ? this.store.sentTo(code, me, now) : Promise.resolve([]),
          me ? this.store.inbox(code, me, now) : Promise.resolve([]),
        ]),
      );
      if (!fresh || !people) throw errors.sessionNotFound();
      stream.cancelExpiry = this.clock.setTimeout(() => stream.end('expired'), session.expiresAt - now);
      stream.start(fresh.session, people, sentTo, inbox, options.lastEventId ?? null);
      return { you: me ? { id: me } : { host: true }, close };
    } catch (error) {
      await close();
      throw error;
    }
  }

  /** The session and actor for a token; 404 before 401. */
  private async authenticate(code: string, token: string | null | undefined): Promise<Lookup & { actor: Actor }> {
    const lookup = await this.lookup(code, token ?? null);
    if (!token) throw errors.tokenMissing();
    if (!lookup.actor) throw errors.tokenUnknown();
    return { session: lookup.session, actor: lookup.actor };
  }

  private async lookup(code: string, token: string | null): Promise<Lookup> {
    if (!isSessionCode(code)) throw errors.sessionNotFound();
    const now = this.clock.now();
    const lookup = await this.guard(() => this.store.lookup(code, token ? hashToken(token) : null, now));
    if (!lookup) throw errors.sessionNotFound();
    return lookup;
  }

  private newToken(): string {
    return base64url(this.random.bytes(32));
  }

  /** Store failures that are not ours become STORE_UNAVAILABLE: a 503, never a crash. */
  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (isWarmshowerError(error)) throw error;
      throw errors.storeUnavailable(error);
    }
  }
}

/** One listener's view of a session's facts: filters, dedupes and orders what it may see. */
class LiveStream {
  closed = false;
  ended = false;
  unsubscribe?: () => Promise<void>;
  cancelExpiry?: () => void;
  close: () => Promise<void> = async () => undefined;
  private live = false;
  private readonly pending: SessionFact[] = [];
  private readonly delivered = new Set<string>();
  private readonly known = new Set<string>();

  constructor(
    private readonly me: string | null,
    private readonly listener: (event: StreamEvent) => void,
  ) {}

  /** Sends `ready` and the inbox, then whatever arrived meanwhile. */
  start(
    session: SessionRecord,
    people: ParticipantRecord[],
    sentTo: string[],
    inbox: StoredMessage[],
    lastEventId: string | null,
  ): void {
    for (const p of people) this.known.add(p.id);
    const me = this.me;
    this.emit({
      event: 'ready',
      data: {
        you: me ? { id: me } : { host: true },
        participants: people.map(toView),
        sentTo,
        complete: me ? isComplete(sentTo.length, people.length) : false,
        expiresAt: iso(session.expiresAt),
        delivery: 'live',
        revealed: false,
        encryption: 'none',
      },
    });
    if (!me) this.progress({ sent: session.sent, possible: possible(people.length) });
    // An id we do not know counts as none: the whole inbox is replayed.
    const after = lastEventId ? inbox.findIndex((m) => m.id === lastEventId) : -1;
    inbox.forEach((m, i) => {
      this.delivered.add(m.id);
      if (i > after) this.emit({ event: 'message', id: m.id, data: toInbox(m) });
    });
    this.live = true;
    for (const fact of this.pending.splice(0)) this.onFact(fact);
  }

  /** The host's first progress figures, right after `ready`. */
  progress(progress: Progress): void {
    this.emit({ event: 'progress', data: progress });
  }

  onFact(fact: SessionFact): void {
    if (this.closed) return;
    if (!this.live) {
      this.pending.push(fact);
      return;
    }
    const me = this.me;
    switch (fact.type) {
      case 'joined':
        if (this.known.has(fact.participant.id)) return;
        this.known.add(fact.participant.id);
        this.emit({ event: 'participant-joined', data: fact.participant });
        if (!me) this.progress({ sent: fact.sent, possible: possible(fact.participantCount) });
        return;
      case 'presence':
        if (fact.id !== me) this.emit({ event: 'presence', data: { id: fact.id, online: fact.online } });
        return;
      case 'message':
        if (fact.to !== me || this.delivered.has(fact.message.id)) return;
        this.delivered.add(fact.message.id);
        this.emit({ event: 'message', id: fact.message.id, data: toInbox(fact.message) });
        return;
      case 'sent':
        if (!me) this.progress({ sent: fact.sent, possible: possible(fact.participantCount) });
        else if (fact.from === me && isComplete(fact.sentCount, fact.participantCount)) {
          this.emit({ event: 'complete', data: { sentCount: fact.sentCount } });
        }
        return;
      case 'ended':
        this.end('ended');
        return;
    }
  }

  end(reason: 'ended' | 'expired'): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    this.emit({ event: 'session-ended', data: { reason } });
    void this.close();
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
