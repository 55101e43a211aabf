import type { Clock } from '../clock.js';
import type { EndReason } from '../protocol/types.js';
import type { ParticipantRecord, SessionFact, SessionRecord, Store } from '../store.js';
import { warnAt } from '../views.js';
import type { LiveStream, SharedEvents, Snapshot } from './stream.js';

/** What the watches need from the rules around them. */
export interface WatchContext {
  store: Store;
  clock: Clock;
  /** Milliseconds between heartbeats (leases, "is the session still there?"). */
  heartbeatMs: number;
  /** The session and its people, as a stream starting or catching up reads them. */
  readShared(code: string, now: number): Promise<{ session: SessionRecord | null; people: ParticipantRecord[] }>;
  /** A participant's own part of a snapshot. */
  readOwn(code: string, me: string, now: number): Promise<Pick<Snapshot, 'sent' | 'inbox'>>;
  /** Reveals a reveal session whose warning has come (rule 9); failures are for the next chance. */
  revealIfDue(code: string, now: number): Promise<void>;
}

/** How many heartbeats run at once, so a process with many sessions does not flood its store. */
const HEARTBEAT_WIDTH = 32;

/**
 * The share of the interval over which the sessions' heartbeats are spread: a process with 500
 * sessions sends its store a heartbeat every 5 ms instead of 500 at once (each a script on Redis,
 * which runs nothing else meanwhile: the warm showers of every process would wait behind them).
 */
const HEARTBEAT_SPREAD = 0.5;

/**
 * How long a session the store no longer has may wait for its `ended` fact: a host's end deletes
 * the session and publishes `ended` at once, but a re-read on another connection can see it gone
 * before the fact arrives. Only without the fact is the session lost (SPEC §3: within 30 s).
 */
const GONE_GRACE_MS = 1000;

/**
 * How soon after a `resync` the watch compares fact numbers once more. A store may report its
 * subscription back a moment before it is (a Cluster's `subscribersReady` comes as the new
 * SSUBSCRIBE is sent, not answered): a fact published in between is caught then, within 2 s of
 * the subscription's return (SPEC §3), not at the next heartbeat.
 */
const RESYNC_CHECK_MS = 300;

/**
 * Every session this process has open streams in, each watched once: one subscription, one
 * pair of timers (warning, expiry) and one heartbeat per session, however many streams it has.
 */
export class Watches {
  private readonly watches = new Map<string, SessionWatch>();
  private cancelHeartbeat: (() => void) | undefined;

  constructor(readonly context: WatchContext) {}

  /** The watch of a session, subscribing on first use. Call `release` once done with it. */
  async acquire(code: string): Promise<SessionWatch> {
    let watch = this.watches.get(code);
    if (!watch) {
      watch = new SessionWatch(code, this.context);
      this.watches.set(code, watch);
      this.scheduleHeartbeat();
    }
    watch.users++;
    try {
      await watch.subscribed;
    } catch (error) {
      this.release(watch);
      throw error;
    }
    return watch;
  }

  release(watch: SessionWatch): void {
    if (--watch.users > 0) return;
    if (this.watches.get(watch.code) === watch) this.watches.delete(watch.code);
    void watch.close();
    if (this.watches.size === 0) {
      this.cancelHeartbeat?.();
      this.cancelHeartbeat = undefined;
    }
  }

  /** Sessions watched right now (for tests and metrics). */
  get size(): number {
    return this.watches.size;
  }

  private scheduleHeartbeat(delay = this.context.heartbeatMs): void {
    if (this.cancelHeartbeat) return;
    const { clock, heartbeatMs } = this.context;
    this.cancelHeartbeat = clock.setTimeout(() => {
      this.cancelHeartbeat = undefined;
      const started = clock.now();
      void this.beatAll(started).finally(() => {
        // Every heartbeatMs from the start of the last round, however long its spread took.
        if (this.watches.size > 0) this.scheduleHeartbeat(Math.max(0, started + heartbeatMs - clock.now()));
      });
    }, delay);
  }

  /** One heartbeat for every session, each at its own moment of the spread, a few at a time at most. */
  private async beatAll(started: number): Promise<void> {
    const { clock, heartbeatMs } = this.context;
    const queue = [...this.watches.values()];
    const spacing = (heartbeatMs * HEARTBEAT_SPREAD) / queue.length;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < queue.length; i = next++) {
        const wait = started + i * spacing - clock.now();
        if (wait >= 1) await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
        await queue[i]!.beat();
      }
    };
    await Promise.all(Array.from({ length: Math.min(HEARTBEAT_WIDTH, queue.length) }, worker));
  }
}

/** One session as this process follows it. */
export class SessionWatch {
  users = 0;
  readonly streams = new Set<LiveStream>();
  /** Streams still reading their first snapshot when a catch-up was called for. */
  private readonly owesCatchUp = new WeakSet<LiveStream>();
  /** Open streams here per holder (participant id or HOST): what the heartbeat reports. */
  readonly holders = new Map<string, number>();
  readonly subscribed: Promise<void>;
  private unsubscribe: (() => Promise<void>) | undefined;
  private session: SessionRecord | null = null;
  private lastSeq = 0;
  private cancelTimers: (() => void)[] = [];
  private cancelCheck: (() => void) | undefined;
  /** Set while a session found gone waits for its `ended` fact. */
  private cancelGone: (() => void) | undefined;
  private cancelResyncCheck: (() => void) | undefined;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  /** A catch-up failed (store away): try again at the next heartbeat. */
  private stale = false;
  private closed = false;

  constructor(
    readonly code: string,
    private readonly context: WatchContext,
  ) {
    this.subscribed = context.store.subscribe(code, (fact) => this.onFact(fact)).then((stop) => {
      this.unsubscribe = stop;
      if (this.closed) void stop().catch(() => undefined);
    });
  }

  /**
   * Starts a stream on its first snapshot, learning the session's times from it (the first one also
   * sets the fact number). A stream a catch-up was called for while it read catches up now.
   */
  begin(stream: LiveStream, snapshot: Snapshot & { session: SessionRecord }, lastEventId: string | null, now: number): void {
    // Facts heard before this first read must not look like a gap to the next one.
    if (!this.session) this.lastSeq = Math.max(this.lastSeq, snapshot.session.seq);
    this.setSession(snapshot.session);
    stream.start(snapshot, lastEventId, now);
    if (this.owesCatchUp.delete(stream)) void this.catchUp();
  }

  holderOpened(holder: string): void {
    this.holders.set(holder, (this.holders.get(holder) ?? 0) + 1);
  }

  holderClosed(holder: string): void {
    const left = (this.holders.get(holder) ?? 1) - 1;
    if (left > 0) this.holders.set(holder, left);
    else this.holders.delete(holder);
  }

  onFact(fact: SessionFact): void {
    if (this.closed) return;
    if (fact.type === 'resync') {
      void this.catchUp();
      this.cancelResyncCheck?.();
      this.cancelResyncCheck = this.context.clock.setTimeout(() => {
        this.cancelResyncCheck = undefined;
        void this.beat();
      }, RESYNC_CHECK_MS);
      return;
    }
    if (fact.seq !== undefined) {
      // A gap in the numbers: facts were lost in transit (a subscription that dropped).
      if (this.session && fact.seq > this.lastSeq + 1) void this.catchUp();
      this.lastSeq = Math.max(this.lastSeq, fact.seq);
    }
    if (fact.type === 'expiry' && this.session) {
      this.setSession({ ...this.session, expiresAt: fact.expiresAt, ttlSeconds: fact.ttlSeconds });
    }
    if (fact.type === 'revealed' && this.session) this.session = { ...this.session, revealedAt: fact.revealedAt };
    // Events every stream receives alike are made once; a message or a count is each stream's own.
    const cache: SharedEvents | undefined = fact.type === 'message' || fact.type === 'sent' ? undefined : new Map();
    // A stream that ends here leaves the set; a Set's iteration allows that.
    for (const stream of this.streams) stream.onFact(fact, cache);
    // The held messages are visible now: each participant's stream reads its inbox.
    if (fact.type === 'revealed') void this.catchUp();
  }

  /**
   * Every started stream re-reads the session and hears what it missed; calls coalesce. A stream
   * still reading its first snapshot may have read it before what calls for this (a reveal, lost
   * facts): it catches up once it has started.
   */
  catchUp(): Promise<void> {
    for (const stream of this.streams) if (!stream.started) this.owesCatchUp.add(stream);
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      do {
        this.catchUpAgain = false;
        await this.catchUpOnce();
      } while (this.catchUpAgain && !this.closed);
    })().finally(() => (this.catchingUp = null));
    return this.catchingUp;
  }

  /** The heartbeat: leases, and whether the session is still in the store. */
  async beat(): Promise<void> {
    if (this.closed) return;
    const now = this.context.clock.now();
    let answer;
    try {
      answer = await this.context.store.heartbeat(this.code, this.holders, now);
    } catch {
      return; // the store is away; streams stay open and catch up once it answers
    }
    if (!answer.live) {
      this.gone(now);
      return;
    }
    if (this.stale) {
      void this.catchUp();
      return;
    }
    const seen = answer.seq;
    if (seen > this.lastSeq) {
      // A fact may still be on its way over the subscription: look again in a moment.
      this.cancelCheck?.();
      this.cancelCheck = this.context.clock.setTimeout(() => {
        this.cancelCheck = undefined;
        if (this.lastSeq < seen) void this.catchUp();
      }, 1000);
    }
  }

  /**
   * The store no longer has the session: expired by its clock, or else ended (its `ended` fact
   * may still be on its way, and wins) or lost (no fact comes).
   */
  private gone(now: number): void {
    if (this.session && now >= this.session.expiresAt) {
      this.endAll('expired');
      return;
    }
    this.cancelGone ??= this.context.clock.setTimeout(() => this.endAll('lost'), GONE_GRACE_MS);
  }

  endAll(reason: EndReason): void {
    const cache: SharedEvents = new Map();
    for (const stream of [...this.streams]) stream.end(reason, cache);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.cancelTimers.splice(0)) cancel();
    this.cancelCheck?.();
    this.cancelGone?.();
    this.cancelResyncCheck?.();
    await this.subscribed.catch(() => undefined);
    await this.unsubscribe?.().catch(() => undefined);
  }

  private async catchUpOnce(): Promise<void> {
    const streams = [...this.streams].filter((s) => s.started && !s.closed);
    if (streams.length === 0 || this.closed) return;
    for (const stream of streams) stream.pause();
    const now = this.context.clock.now();
    try {
      const { session, people } = await this.context.readShared(this.code, now);
      const own = await Promise.all(
        streams.map((s) => (s.me && session ? this.context.readOwn(this.code, s.me, now) : { sent: [], inbox: [] })),
      );
      this.stale = false;
      if (!session) {
        // Facts that came meanwhile (an `ended`) apply first; the rest waits in `gone`.
        for (const stream of streams) stream.resume();
        this.gone(now);
        return;
      }
      this.lastSeq = Math.max(this.lastSeq, session.seq);
      this.setSession(session);
      streams.forEach((stream, i) => stream.catchUp({ session, people, ...own[i]! }, now));
    } catch {
      this.stale = true;
      for (const stream of streams) stream.resume();
    }
  }

  /** Keeps the warning and expiry timers on the session's current times. */
  private setSession(session: SessionRecord): void {
    const before = this.session;
    this.session = session;
    if (before && before.expiresAt === session.expiresAt && before.ttlSeconds === session.ttlSeconds) return;
    for (const cancel of this.cancelTimers.splice(0)) cancel();
    const { clock } = this.context;
    const now = clock.now();
    const expiresAt = session.expiresAt;
    this.cancelTimers.push(clock.setTimeout(() => this.endAll('expired'), expiresAt - now));
    const warning = warnAt(session);
    if (warning > now) this.cancelTimers.push(clock.setTimeout(() => this.warn(), warning - now));
  }

  /** The expiry warning (rule 10), and the reveal of a session nobody revealed (rule 9). */
  private warn(): void {
    const cache: SharedEvents = new Map();
    for (const stream of [...this.streams]) stream.warn(cache);
    void this.context.revealIfDue(this.code, this.context.clock.now()).catch(() => undefined);
  }
}
