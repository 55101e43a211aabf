import { Redis, type Cluster } from 'ioredis';
import { systemClock, type Clock } from '../clock.js';
import { redisClientOptions } from './connect.js';
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
} from '../store.js';
import createSessionLua from './lua/create-session-10.lua';
import endSessionLua from './lua/end-session-10.lua';
import joinLua from './lua/join-5.lua';
import lookupLua from './lua/lookup-4.lua';
import sendLua from './lua/send-7.lua';
import streamClosedLua from './lua/stream-closed-3.lua';
import streamOpenedLua from './lua/stream-opened-3.lua';

export interface RedisStoreOptions {
  /** An ioredis client or Cluster to use; the store never quits it. */
  client?: Redis | Cluster;
  /** Where to connect when no client is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** First part of every key and channel, without braces. Default `ws`. */
  prefix?: string;
  /** Decides whether `endSession` finds the session expired (the other methods receive `now`). */
  clock?: Clock;
  /**
   * For a client the store creates: how long a command may wait, Redis down included, before it
   * fails. Default 2000 ms.
   */
  commandTimeout?: number;
  /** Hears connection errors (the store's own connections); by default they are ignored. */
  onError?: (error: Error) => void;
}

/** The parts of a session, in the order the scripts take them as KEYS. */
const PARTS = ['session', 'people', 'roster', 'names', 'tokens', 'sent', 'tally', 'pairs', 'inbox', 'online'] as const;
type Part = (typeof PARTS)[number];

/**
 * The scripts, named as the client knows them after `defineCommand`. None is marked read-only: a
 * Cluster with `scaleReads` would send those to replicas, and a lookup right after a create must
 * see it.
 */
const SCRIPTS = {
  warmshowerCreateSession: { lua: createSessionLua, numberOfKeys: 10 },
  warmshowerLookup: { lua: lookupLua, numberOfKeys: 4 },
  warmshowerJoin: { lua: joinLua, numberOfKeys: 5 },
  warmshowerSend: { lua: sendLua, numberOfKeys: 7 },
  warmshowerEndSession: { lua: endSessionLua, numberOfKeys: 10 },
  warmshowerStreamOpened: { lua: streamOpenedLua, numberOfKeys: 3 },
  warmshowerStreamClosed: { lua: streamClosedLua, numberOfKeys: 3 },
} as const;

type Script = (...keysThenArgs: string[]) => Promise<unknown>;
type Scripted = Record<keyof typeof SCRIPTS, Script>;
type Connection = Redis | Cluster;

interface Channel {
  listeners: Set<(fact: SessionFact) => void>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  ready: Promise<unknown>;
}

/**
 * Keeps sessions in Redis so that any number of server processes share them. Each mutation is
 * one Lua script (one round trip, atomic), every key of a session sits under one hash tag
 * (`<prefix>:{<code>}:<part>`, so it runs on Redis Cluster) and expires with the session, and facts
 * travel by pub/sub on `<prefix>:{<code>}:events`. See `README.md` beside this file.
 */
export class RedisStore implements Store {
  private readonly client: Connection;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly onError: (error: Error) => void;
  private subscriber: Connection | null = null;
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'ws';
    // A brace in the prefix would become the hash tag, putting every session in one cluster slot.
    if (/[{}]/.test(this.prefix)) throw new RangeError(`A RedisStore prefix cannot contain braces; got "${this.prefix}".`);
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError ?? (() => undefined);
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      // Fails fast while Redis is down (the server answers 503), but keeps reconnecting.
      this.client = new Redis(options.url ?? 'redis://127.0.0.1:6379', redisClientOptions({ commandTimeout: options.commandTimeout }));
      this.client.on('error', (error: Error) => this.onError(error));
      this.ownsClient = true;
    }
    for (const [name, script] of Object.entries(SCRIPTS)) {
      this.client.defineCommand(name, script);
    }
  }

  async createSession(session: NewSession, now: number): Promise<boolean> {
    const reply = await this.run.warmshowerCreateSession(
      ...this.keys(session.code, PARTS),
      String(now),
      session.hostTokenHash,
      String(session.createdAt),
      String(session.expiresAt),
      String(session.ttlSeconds),
      String(Math.ceil(session.expiresAt - now)),
    );
    return reply === 1;
  }

  async lookup(code: string, tokenHash: string | null, now: number): Promise<Lookup | null> {
    const reply = (await this.run.warmshowerLookup(
      ...this.keys(code, ['session', 'people', 'tokens', 'online']),
      String(now),
      tokenHash ?? '',
    )) as [string, string, string, string, string, number, string, string, string] | null;
    if (!reply) return null;
    const [host, createdAt, expiresAt, ttl, sent, participantCount, actor, person, streams] = reply;
    const session: SessionRecord = {
      code,
      hostTokenHash: host,
      createdAt: Number(createdAt),
      expiresAt: Number(expiresAt),
      ttlSeconds: Number(ttl),
      participantCount: Number(participantCount),
      sent: Number(sent),
    };
    if (actor === 'host') return { session, actor: { kind: 'host' } };
    if (actor === 'participant' && person) {
      return { session, actor: { kind: 'participant', participant: participantRecord(person, Number(streams)) } };
    }
    return { session, actor: null };
  }

  async join(code: string, p: NewParticipant, now: number): Promise<JoinOutcome> {
    const reply = (await this.run.warmshowerJoin(
      ...this.keys(code, ['session', 'people', 'roster', 'names', 'tokens']),
      String(now),
      p.id,
      p.displayName.toLowerCase(),
      p.tokenHash,
      JSON.stringify({ id: p.id, displayName: p.displayName, joinedAt: p.joinedAt }),
      JSON.stringify({ id: p.id, displayName: p.displayName }),
      this.channel(code),
    )) as [string, number?, string?];
    if (reply[0] === 'ok') return { ok: true, participantCount: Number(reply[1]), expiresAt: Number(reply[2]) };
    return { ok: false, reason: reply[0] as 'no-session' | 'name-taken' };
  }

  async participants(code: string, now: number): Promise<ParticipantRecord[] | null> {
    const [expiresAt, roster, people, online] = await this.read<[string | null, string[], Record<string, string>, Record<string, string>]>(
      this.client
        .multi()
        .hget(this.key(code, 'session'), 'expiresAt')
        .lrange(this.key(code, 'roster'), 0, -1)
        .hgetall(this.key(code, 'people'))
        .hgetall(this.key(code, 'online')),
    );
    if (!isLive(expiresAt, now)) return null;
    return roster.flatMap((id) => {
      const person = people[id];
      return person ? [participantRecord(person, Number(online[id] ?? 0))] : [];
    });
  }

  async sentTo(code: string, participantId: string, now: number): Promise<string[]> {
    const [expiresAt, sent] = await this.read<[string | null, string | null]>(
      this.client.multi().hget(this.key(code, 'session'), 'expiresAt').hget(this.key(code, 'sent'), participantId),
    );
    return isLive(expiresAt, now) && sent ? (JSON.parse(sent) as string[]) : [];
  }

  async send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome> {
    const stored: StoredMessage = { id: message.id, text: message.text, receivedAt: message.receivedAt };
    const reply = (await this.run.warmshowerSend(
      ...this.keys(code, ['session', 'people', 'tokens', 'pairs', 'sent', 'tally', 'inbox']),
      String(now),
      senderTokenHash,
      message.to,
      JSON.stringify(message.to),
      JSON.stringify(stored),
      this.channel(code),
    )) as [string, string?, number?, number?, number?];
    if (reply[0] !== 'ok') return { ok: false, reason: reply[0] as Exclude<SendOutcome, { ok: true }>['reason'] };
    const [, from, sentCount, participantCount, sent] = reply;
    return {
      ok: true,
      from: String(from),
      sentCount: Number(sentCount),
      participantCount: Number(participantCount),
      sent: Number(sent),
    };
  }

  async inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]> {
    const [expiresAt, inbox] = await this.read<[string | null, string | null]>(
      this.client.multi().hget(this.key(code, 'session'), 'expiresAt').hget(this.key(code, 'inbox'), participantId),
    );
    return isLive(expiresAt, now) && inbox ? (JSON.parse(inbox) as StoredMessage[]) : [];
  }

  async endSession(code: string): Promise<boolean> {
    const reply = await this.run.warmshowerEndSession(...this.keys(code, PARTS), String(this.clock.now()), this.channel(code));
    return reply === 1;
  }

  async streamOpened(code: string, participantId: string, now: number): Promise<boolean> {
    const reply = await this.run.warmshowerStreamOpened(
      ...this.keys(code, ['session', 'people', 'online']),
      String(now),
      participantId,
      JSON.stringify(participantId),
      this.channel(code),
    );
    return reply === 1;
  }

  async streamClosed(code: string, participantId: string, now: number): Promise<void> {
    await this.run.warmshowerStreamClosed(
      ...this.keys(code, ['session', 'people', 'online']),
      String(now),
      participantId,
      JSON.stringify(participantId),
      this.channel(code),
    );
  }

  async subscribe(code: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>> {
    const name = this.channel(code);
    const subscriber = this.subscriberConnection();
    let channel = this.channels.get(name);
    if (!channel) {
      const fresh: Channel = { listeners: new Set(), ready: subscriber.subscribe(name) };
      fresh.ready.catch(() => this.release(name, fresh));
      this.channels.set(name, (channel = fresh));
    }
    // Each subscription gets its own wrapper, so the same function may subscribe twice.
    const entry = (fact: SessionFact) => listener(fact);
    channel.listeners.add(entry);
    try {
      await channel.ready;
    } catch (error) {
      channel.listeners.delete(entry);
      throw error;
    }
    const subscribed = channel;
    return async () => {
      if (!subscribed.listeners.delete(entry)) return;
      if (subscribed.listeners.size === 0) await this.release(name, subscribed);
    };
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    const quits: Promise<unknown>[] = [];
    if (this.subscriber) quits.push(quit(this.subscriber));
    if (this.ownsClient) quits.push(quit(this.client));
    await Promise.all(quits);
  }

  /** The defined scripts, typed. */
  private get run(): Scripted {
    return this.client as unknown as Scripted;
  }

  private key(code: string, part: Part): string {
    return `${this.prefix}:{${code}}:${part}`;
  }

  private keys(code: string, parts: readonly Part[]): string[] {
    return parts.map((part) => this.key(code, part));
  }

  private channel(code: string): string {
    return `${this.prefix}:{${code}}:events`;
  }

  /** Runs a MULTI (one round trip, one consistent view) and returns its results, or throws. */
  private async read<T extends unknown[]>(multi: ReturnType<Connection['multi']>): Promise<T> {
    const results = await multi.exec();
    if (!results) throw new Error('A Redis transaction was aborted.');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    }) as T;
  }

  /** The one connection that listens to every session this store follows. */
  private subscriberConnection(): Connection {
    if (this.closed) throw new Error('This RedisStore is closed.');
    if (!this.subscriber) {
      // A Cluster's duplicate starts unconnected, and connectRedis's Cluster has no offline queue
      // (commands fail at once while no node answers): give the subscriber one for its SUBSCRIBEs.
      const subscriber = this.client.isCluster ? (this.client as Cluster).duplicate([], { enableOfflineQueue: true }) : this.client.duplicate();
      subscriber.on('error', (error: Error) => this.onError(error));
      subscriber.on('message', (name: string, payload: string) => this.dispatch(name, payload));
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  private dispatch(name: string, payload: string): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    let fact: SessionFact;
    try {
      fact = JSON.parse(payload) as SessionFact;
    } catch {
      return;
    }
    for (const listener of [...channel.listeners]) {
      try {
        listener(fact);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }

  /** Forgets a channel whose last listener left (or whose SUBSCRIBE failed) and unsubscribes. */
  private async release(name: string, channel: Channel): Promise<void> {
    if (this.channels.get(name) !== channel) return;
    this.channels.delete(name);
    // Redis answers in order, so a SUBSCRIBE issued after this one still wins.
    await this.subscriber?.unsubscribe(name).catch(() => undefined);
  }
}

function isLive(expiresAt: string | null, now: number): boolean {
  return expiresAt !== null && Number(expiresAt) > now;
}

function participantRecord(json: string, streams: number): ParticipantRecord {
  const p = JSON.parse(json) as { id: string; displayName: string; joinedAt: number };
  return { id: p.id, displayName: p.displayName, joinedAt: p.joinedAt, online: streams > 0 };
}

/** Closes a connection politely, or at once if Redis does not answer. */
async function quit(connection: Connection): Promise<void> {
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
