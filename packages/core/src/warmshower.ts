import * as crypto from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import { errors, guardStore as guard, WarmshowerError } from './errors.js';
import { openConnection, type Connection } from './live/connect.js';
import { Watches } from './live/watch.js';
import { friendlyName } from './names.js';
import { limits, nameKey } from './protocol/index.js';
import type {
  CreatedSession,
  ExpiryChanged,
  JoinedParticipant,
  ParticipantList,
  SendReceipt,
  SessionSummary,
  StreamEvent,
} from './protocol/types.js';
import { range, type ConnectOptions, type Screen, type WarmshowerOptions } from './options.js';
import { cryptoRandom, type RandomSource } from './random.js';
import { joinRefusal, sendRefusal, thankRefusal } from './refusals.js';
import type { Actor, Lookup, Store } from './store.js';
import { isSessionCode, parseCreateSession, parseExtendSession, parseJoin, parseSend } from './validation.js';
import { isComplete, iso, participantView, revealDue, sessionSummary } from './views.js';

export type { Screen, WarmshowerOptions, ConnectOptions } from './options.js';
export type { Connection } from './live/connect.js';

/**
 * SHA-256 of a secret, hex: what stores keep instead of tokens. Node's one-shot `crypto.hash`
 * (20.12+) costs a quarter of a Hash object; older Nodes take the long way.
 */
export const hashToken: (token: string) => string =
  typeof crypto.hash === 'function'
    ? (token) => crypto.hash('sha256', token, 'hex')
    : (token) => crypto.createHash('sha256').update(token).digest('hex');

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');


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
  readonly maxParticipants: number;
  /** The clock every rule reads: hosts use it too (cookie lifetimes), so tests move one clock. */
  readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly screen: Screen | undefined;
  private readonly watches: Watches;

  constructor(options: WarmshowerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoRandom;
    this.screen = options.screen;
    this.defaultTtlSeconds = range(
      'The default session lifetime (seconds)',
      options.defaultTtlSeconds ?? limits.defaultTtlSeconds,
      limits.minTtlSeconds,
      limits.maxTtlSeconds,
    );
    this.maxParticipants = range(
      'The most participants a session may hold',
      options.maxParticipants ?? limits.defaultMaxParticipants,
      limits.minMaxParticipants,
      limits.maxParticipantsCeiling,
    );
    this.watches = new Watches({
      store: this.store,
      clock: this.clock,
      heartbeatMs: options.heartbeatMs ?? 5000,
      readShared: async (code, now) => {
        const [found, people] = await Promise.all([this.store.lookup(code, null, now), this.store.participants(code, now)]);
        return { session: found?.session ?? null, people: people ?? [] };
      },
      readOwn: async (code, me, now) => {
        const [sent, inbox] = await Promise.all([this.store.sentBy(code, me, now), this.store.inbox(code, me, now)]);
        return { sent, inbox };
      },
      revealIfDue: async (code, now) => {
        const found = await this.store.lookup(code, null, now);
        if (found && revealDue(found.session, now)) await this.store.reveal(code, now);
      },
    });
  }

  /** Creates a session with a fresh six-digit code; the reply holds the only copy of the host token. */
  async createSession(input?: unknown): Promise<CreatedSession> {
    const parsed = parseCreateSession(input);
    if (!parsed.ok) throw parsed.error;
    const ttlSeconds = parsed.value.ttlSeconds ?? this.defaultTtlSeconds;
    const delivery = parsed.value.delivery ?? 'live';
    const encryption = parsed.value.encryption ?? 'none';
    const hostToken = this.newToken();
    const createdAt = this.clock.now();
    const expiresAt = createdAt + ttlSeconds * 1000;
    // A million codes and sessions of at most a day: a clash is rare, a few retries settle it.
    for (let attempt = 0; attempt < 50; attempt++) {
      const code = String(this.random.int(1_000_000)).padStart(6, '0');
      const session = { code, hostTokenHash: hashToken(hostToken), createdAt, expiresAt, ttlSeconds, delivery, encryption };
      const created = await guard(() => this.store.createSession(session, createdAt));
      if (created) return { code, hostToken, expiresAt: iso(expiresAt), ttlSeconds, delivery, encryption };
    }
    throw new WarmshowerError('STORE_UNAVAILABLE', 'No free session code could be found right now; try again in a moment.');
  }

  /** Public facts of a session; with the host token also its progress. */
  async getSession(code: string, token?: string | null): Promise<SessionSummary> {
    const { session, actor } = await this.lookup(code, token ?? null);
    if (token && !actor) throw errors.tokenUnknown();
    return sessionSummary(session, actor?.kind === 'host');
  }

  /** Gives the session a new lifetime from now (host only, rule 10); every stream hears it. */
  async extendSession(code: string, token: string | null | undefined, input: unknown): Promise<ExpiryChanged> {
    const { actor } = await this.authenticate(code, token);
    if (actor.kind !== 'host') throw errors.hostOnly('change how long the session lasts');
    const parsed = parseExtendSession(input);
    if (!parsed.ok) throw parsed.error;
    const { ttlSeconds } = parsed.value;
    const now = this.clock.now();
    const expiresAt = now + ttlSeconds * 1000;
    if (!(await guard(() => this.store.extend(code, expiresAt, ttlSeconds, now)))) throw errors.sessionNotFound();
    return { code, expiresAt: iso(expiresAt), ttlSeconds };
  }

  /** Reveals a reveal session (host only, rule 9): every recipient gets their held messages at once. */
  async reveal(code: string, token: string | null | undefined): Promise<{ revealed: true }> {
    const { actor } = await this.authenticate(code, token);
    if (actor.kind !== 'host') throw errors.hostOnly('reveal the warm showers');
    const outcome = await guard(() => this.store.reveal(code, this.clock.now()));
    if (outcome.ok) return { revealed: true };
    if (outcome.reason === 'live') throw errors.nothingToReveal();
    if (outcome.reason === 'already') throw errors.alreadyRevealed();
    throw errors.sessionNotFound();
  }

  /** Adds a participant; without a name (or a blank one) they get a friendly generated one. */
  async join(code: string, input?: unknown): Promise<JoinedParticipant> {
    const parsed = parseJoin(input);
    if (!parsed.ok) {
      await this.lookup(code, null); // a missing session outranks bad input
      throw parsed.error;
    }
    if (!isSessionCode(code)) throw errors.sessionNotFound();
    const chosen = parsed.value.displayName;
    const publicKey = parsed.value.publicKey ?? null;
    const token = this.newToken();
    const id = base64url(this.random.bytes(9));
    for (let attempt = 0; ; attempt++) {
      const displayName = chosen ?? friendlyName(this.random, attempt);
      const now = this.clock.now();
      const participant = { id, displayName, nameKey: nameKey(displayName), tokenHash: hashToken(token), joinedAt: now, publicKey };
      const outcome = await guard(() =>
        this.store.join(code, participant, now, { maxParticipants: this.maxParticipants }),
      );
      if (outcome.ok) return { id, token, displayName, expiresAt: iso(outcome.expiresAt) };
      // A generated name that clashes is simply drawn again.
      if (outcome.reason !== 'name-taken' || chosen !== null || attempt >= 20) {
        throw joinRefusal(outcome.reason, displayName, this.maxParticipants);
      }
    }
  }

  /** Everyone in the session with presence; a participant also gets their own progress as `me`. */
  async participants(code: string, token: string | null | undefined): Promise<ParticipantList> {
    const { session, actor } = await this.authenticate(code, token);
    const now = this.clock.now();
    const me = actor.kind === 'participant' ? actor.participant.id : null;
    const [people, sent] = await guard(() =>
      Promise.all([this.store.participants(code, now), me ? this.store.sentBy(code, me, now) : Promise.resolve([])]),
    );
    if (!people) throw errors.sessionNotFound();
    const list: ParticipantList = { participants: people.map((p) => participantView(p, session.encryption)) };
    if (me) list.me = { id: me, sentTo: sent.map((s) => s.to), complete: isComplete(sent.length, people.length) };
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
    const { to, kind, body } = parsed.value;
    if (this.screen && kind === 'text') {
      // Screening is judged after the session and the sender are known to be real (SPEC order); a
      // text in an end-to-end session is refused for its kind by the store, never screened.
      const { session, actor } = await this.authenticate(code, token);
      if (actor.kind === 'host') throw errors.hostCannotSend();
      if (session.encryption !== 'e2e') {
        const refusal = await this.screenText(body);
        if (refusal) throw errors.refused(refusal);
      }
    }
    const now = this.clock.now();
    const id = base64url(this.random.bytes(9));
    // Fast path: one atomic store step checks everything and records the message.
    const outcome = await guard(() => this.store.send(code, hashToken(token), { id, to, body, kind }, now));
    if (!outcome.ok) throw sendRefusal(outcome.reason, kind);
    return {
      id,
      to,
      sentCount: outcome.sentCount,
      remaining: Math.max(0, outcome.participantCount - 1 - outcome.sentCount),
      complete: isComplete(outcome.sentCount, outcome.participantCount),
    };
  }

  /** The recipient of a warm shower thanks it (rule 11); only its author's streams hear of it. */
  async thank(code: string, token: string | null | undefined, messageId: string): Promise<{ id: string }> {
    // Thanks are rare: a lookup first keeps the order of checks and reveals a session that is due.
    await this.authenticate(code, token);
    const outcome = await guard(() => this.store.thank(code, hashToken(token!), messageId, this.clock.now()));
    if (outcome.ok) return { id: messageId };
    throw thankRefusal(outcome.reason);
  }

  /** Ends the session (host only): all its data goes at once and every stream hears `session-ended`. */
  async end(code: string, token: string | null | undefined): Promise<void> {
    const { actor } = await this.authenticate(code, token);
    if (actor.kind !== 'host') throw errors.hostOnly('end the session');
    const ended = await guard(() => this.store.endSession(code, this.clock.now()));
    if (!ended) throw errors.sessionNotFound();
  }

  /**
   * Opens a live stream for a participant or the host (SPEC §3). `listener` first gets `ready`,
   * then (for a participant) their inbox after `lastEventId` oldest first, then live events, with
   * nothing lost and nothing repeated. After `session-ended` the connection closes itself. Events
   * that every stream of a session receives alike are shared objects: treat them as read-only.
   */
  async connect(
    code: string,
    token: string | null | undefined,
    options: ConnectOptions,
    listener: (event: StreamEvent) => void,
  ): Promise<Connection> {
    const { session, actor } = await this.authenticate(code, token);
    return openConnection(this.watches, { code, session, actor, lastEventId: options.lastEventId ?? null }, listener);
  }

  /** The session and actor for a token; 404 before 401. */
  private async authenticate(code: string, token: string | null | undefined): Promise<Lookup & { actor: Actor }> {
    const lookup = await this.lookup(code, token ?? null);
    if (!token) throw errors.tokenMissing();
    if (!lookup.actor) throw errors.tokenUnknown();
    return { session: lookup.session, actor: lookup.actor };
  }

  /** The live session; a reveal session whose warning has come is revealed on the way (rule 9). */
  private async lookup(code: string, token: string | null): Promise<Lookup> {
    if (!isSessionCode(code)) throw errors.sessionNotFound();
    const now = this.clock.now();
    const lookup = await guard(() => this.store.lookup(code, token ? hashToken(token) : null, now));
    if (!lookup) throw errors.sessionNotFound();
    if (revealDue(lookup.session, now)) {
      const outcome = await guard(() => this.store.reveal(code, now));
      if (outcome.ok) lookup.session = { ...lookup.session, revealedAt: outcome.revealedAt };
    }
    return lookup;
  }

  /** The screen's verdict; a screen that fails refuses the text (fails closed), its error kept as the cause. */
  private async screenText(text: string): Promise<string | null> {
    try {
      return (await this.screen!(text)) || null;
    } catch (cause) {
      const refusal = errors.refused('it could not be checked, so it was held back; try again, or tell the host');
      throw Object.assign(refusal, { cause });
    }
  }

  private newToken(): string {
    return base64url(this.random.bytes(32));
  }
}
