import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { systemClock, type Clock } from '../clock.js';
import {
  leaseMs,
  sentRecord,
  storedMessage,
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
  type SessionRecord,
  type Store,
  type StoredMessage,
  type StreamOutcome,
  type ThankOutcome,
} from '../store.js';
import type { Refusal } from '../refusals.js';
import { redisClientOptions } from './connect.js';
import { callScript, defineScripts, keysOf, loaded, PARTS, type ScriptName } from './scripts.js';
import { batchWrites } from './batch.js';
import { Channels } from './channels.js';
import { CloseBatches } from './closes.js';
import { pairs, participantRecord, quit } from './records.js';
import { isReady, whenReady } from './ready.js';
import type { Connection } from './subscriber.js';

/** An ioredis client's own `keyPrefix` (a Cluster's, or its nodes'), which its commands add to every key. */
const keyPrefixOf = (client: Connection): string => {
  const options = client.options as { keyPrefix?: string; redisOptions?: { keyPrefix?: string } };
  return options.keyPrefix || options.redisOptions?.keyPrefix || '';
};

export interface RedisStoreOptions {
  /** An ioredis client or Cluster to use; the store never quits it. */
  client?: Connection;
  /** Where to connect when no client is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** First part of every key and channel, without braces. Default `ws`. */
  prefix?: string;
  /** Used only where a method has no `now` of its own; tests pass their clock. */
  clock?: Clock;
  /** For a client the store creates: how long a command may wait before it fails. Default 2000 ms. */
  commandTimeout?: number;
  /** Hears connection errors (the store's own connections); by default they are ignored. */
  onError?: (error: Error) => void;
}

interface SessionNames {
  /** All of the session's keys, in PARTS order. */
  keys: readonly string[];
  /** The KEYS each script takes (scripts.ts; with the client's own keyPrefix on ioredis), filled as scripts run. */
  scripts: Partial<Record<ScriptName, readonly string[]>>;
  channel: string;
}

/**
 * Keeps sessions in Redis (or a Redis Cluster) so that any number of server processes share them.
 * Each mutation is one Lua script (one round trip, atomic), every key of a session sits under one
 * hash tag (`<prefix>:{<code>}:<part>`) and expires with the session, and facts travel by pub/sub
 * on `<prefix>:{<code>}:events` (sharded pub/sub on a cluster), numbered so that a lost one is
 * noticed. Open streams are leases per process, so a process that dies stops counting. See
 * `README.md` beside this file.
 */
/** What every key of a RedisStore begins with when no `prefix` is given: `ws:{<code>}:<part>`. */
export const defaultRedisPrefix = 'ws';

export class RedisStore implements Store {
  private readonly client: Connection;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly onError: (error: Error) => void;
  private readonly publishCommand: 'PUBLISH' | 'SPUBLISH';
  private readonly isCluster: boolean;
  /** The client is ioredis's own (not ioredis-mock, say): scripts go as `callScript` builds them. */
  private readonly ioredis: boolean;
  /**
   * What the client's own commands put before every key (its `keyPrefix`): `callScript`'s KEYS
   * carry it themselves, as ioredis's script commands would have added it.
   */
  private readonly scriptKeyPrefix: string;
  /** Names this process's leases. */
  private readonly processId = randomBytes(9).toString('base64url');
  /** Stream bookkeeping on a connection of its own, so a thousand closes delay no request. */
  private bookkeeper: Connection | null = null;
  private readonly channels: Channels;
  private readonly closes: CloseBatches;
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? defaultRedisPrefix;
    // A brace in the prefix would become the hash tag, putting every session in one cluster slot.
    if (/[{}]/.test(this.prefix)) throw new RangeError(`A RedisStore prefix cannot contain braces; got "${this.prefix}".`);
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError ?? (() => undefined);
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      this.client = new Redis(options.url ?? 'redis://127.0.0.1:6379', redisClientOptions({ commandTimeout: options.commandTimeout }));
      this.client.on('error', (error: Error) => this.onError(error));
      this.ownsClient = true;
    }
    this.isCluster = (this.client as { isCluster?: boolean }).isCluster === true;
    // A cluster carries each session's facts on its own shard (sharded pub/sub); one Redis keeps plain pub/sub.
    this.publishCommand = this.isCluster ? 'SPUBLISH' : 'PUBLISH';
    this.ioredis = this.client instanceof Redis || this.client instanceof Cluster;
    this.scriptKeyPrefix = this.ioredis ? keyPrefixOf(this.client) : '';
    if (!this.ioredis) defineScripts(this.client);
    this.channels = new Channels(this.client, this.onError);
    this.closes = new CloseBatches(
      (code, counts) => this.run('warmshowerStreamsClosed', code, this.clock.now(), [this.processId, ...counts], this.books()),
      this.onError,
    );
  }

  async createSession(session: NewSession, now: number): Promise<boolean> {
    const reply = await this.run('warmshowerCreateSession', session.code, now, [
      session.hostTokenHash,
      session.createdAt,
      session.expiresAt,
      session.ttlSeconds,
      session.delivery,
      session.encryption,
      Math.ceil(session.expiresAt - now),
    ]);
    return reply === 1;
  }

  async lookup(code: string, tokenHash: string | null, now: number): Promise<Lookup | null> {
    const reply = (await this.run('warmshowerLookup', code, now, [tokenHash ?? ''])) as (string | number)[] | null;
    if (!reply) return null;
    const [host, createdAt, expiresAt, ttl, sent, delivery, encryption, revealedAt, seq, count, actor, person, streams] = reply;
    const session: SessionRecord = {
      code,
      hostTokenHash: String(host),
      createdAt: Number(createdAt),
      expiresAt: Number(expiresAt),
      ttlSeconds: Number(ttl),
      delivery: delivery === 'reveal' ? 'reveal' : 'live',
      encryption: encryption === 'e2e' ? 'e2e' : 'none',
      participantCount: Number(count),
      sent: Number(sent),
      revealedAt: revealedAt ? Number(revealedAt) : null,
      seq: Number(seq),
    };
    if (actor === 'host') return { session, actor: { kind: 'host' } };
    if (actor === 'participant' && person) {
      return { session, actor: { kind: 'participant', participant: participantRecord(String(person), Number(streams)) } };
    }
    return { session, actor: null };
  }

  async join(code: string, p: NewParticipant, now: number, bounds: { maxParticipants: number }): Promise<JoinOutcome> {
    const person = { id: p.id, displayName: p.displayName, joinedAt: p.joinedAt, publicKey: p.publicKey };
    const reply = (await this.run('warmshowerJoin', code, now, [
      p.id,
      p.nameKey,
      p.tokenHash,
      JSON.stringify(person),
      JSON.stringify({ id: p.id, displayName: p.displayName, publicKey: p.publicKey }),
      p.publicKey ? '1' : '0',
      bounds.maxParticipants,
    ])) as [string, number?, string?];
    if (reply[0] === 'ok') return { ok: true, participantCount: Number(reply[1]), expiresAt: Number(reply[2]) };
    return { ok: false, reason: reply[0] as Refusal<JoinOutcome> };
  }

  async participants(code: string, now: number): Promise<ParticipantRecord[] | null> {
    const reply = (await this.run('warmshowerParticipants', code, now, [])) as [string[], string[], string[]] | null;
    if (!reply) return null;
    const [roster, peopleFlat, onlineFlat] = reply;
    const people = pairs(peopleFlat);
    const online = pairs(onlineFlat);
    return roster.flatMap((id) => {
      const person = people.get(id);
      return person ? [participantRecord(person, Number(online.get(id) ?? 0))] : [];
    });
  }

  async sentBy(code: string, participantId: string, now: number): Promise<SentRecord[]> {
    const list = await this.readList(code, 'written', participantId, now);
    return list.map(sentRecord);
  }

  async send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome> {
    const unfinished = JSON.stringify({ id: message.id, body: message.body }).slice(0, -1);
    const reply = (await this.run('warmshowerSend', code, now, [
      senderTokenHash,
      message.to,
      JSON.stringify(message.to),
      message.id,
      unfinished,
      message.kind,
    ])) as [string, number?, number?, number?];
    if (reply[0] !== 'ok') return { ok: false, reason: reply[0] as Refusal<SendOutcome> };
    const [, sentCount, participantCount, sent] = reply;
    return { ok: true, sentCount: Number(sentCount), participantCount: Number(participantCount), sent: Number(sent) };
  }

  async inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]> {
    return (await this.readList(code, 'received', participantId, now)).map(storedMessage);
  }

  async reveal(code: string, now: number): Promise<RevealOutcome> {
    const reply = (await this.run('warmshowerReveal', code, now, [])) as [string, string?];
    if (reply[0] === 'ok') return { ok: true, revealedAt: Number(reply[1]) };
    return { ok: false, reason: reply[0] as Refusal<RevealOutcome> };
  }

  async extend(code: string, expiresAt: number, ttlSeconds: number, now: number): Promise<boolean> {
    const reply = await this.run('warmshowerExtend', code, now, [expiresAt, ttlSeconds, Math.ceil(expiresAt - now)]);
    return reply === 1;
  }

  async thank(code: string, recipientTokenHash: string, messageId: string, now: number): Promise<ThankOutcome> {
    const reply = (await this.run('warmshowerThank', code, now, [recipientTokenHash, messageId, JSON.stringify(messageId)])) as [string];
    if (reply[0] === 'ok') return { ok: true };
    return { ok: false, reason: reply[0] as Refusal<ThankOutcome> };
  }

  async endSession(code: string, now: number): Promise<boolean> {
    return (await this.run('warmshowerEndSession', code, now, [])) === 1;
  }

  async streamOpened(code: string, holder: string, now: number, limit: number): Promise<StreamOutcome> {
    void this.closes.flush(); // a close waiting in the batch counts before this open
    const reply = await this.run('warmshowerStreamOpened', code, now, [holder, this.processId, limit, now + leaseMs], this.books());
    return reply as StreamOutcome;
  }

  async streamClosed(code: string, holder: string, _now: number): Promise<void> {
    await this.closes.add(code, holder);
  }

  async heartbeat(code: string, holders: ReadonlyMap<string, number>, now: number): Promise<Heartbeat> {
    void this.closes.flush();
    const counts = [...holders].flatMap(([holder, n]) => [holder, n]);
    const reply = (await this.run('warmshowerHeartbeat', code, now, [this.processId, now + leaseMs, ...counts], this.books())) as [
      number,
      number,
    ];
    return reply[0] === 1 ? { live: true, seq: Number(reply[1]) } : { live: false };
  }

  async subscribe(code: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('This RedisStore is closed.');
    return this.channels.subscribe(this.channel(code), listener);
  }

  async ping(): Promise<void> {
    await this.ready(this.client);
    await this.client.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.closes.flush();
    this.closed = true;
    const quits: Promise<unknown>[] = [this.channels.close()];
    if (this.bookkeeper) quits.push(quit(this.bookkeeper));
    if (this.ownsClient) quits.push(quit(this.client));
    await Promise.all(quits);
  }

  /** Runs one script with the session's keys it takes (scripts.ts) and the standard first arguments. */
  private async run(name: ScriptName, code: string, now: number, args: (string | number)[], on: Connection = this.client) {
    const names = this.namesOf(code);
    const keys = (names.scripts[name] ??= keysOf[name].map((i) => this.scriptKeyPrefix + names.keys[i]!));
    const waiting = this.ready(on);
    if (waiting) await waiting; // a send should not pay a microtask turn for nothing
    if (!this.ioredis) {
      const scripted = on as unknown as Record<ScriptName, (...keysThenArgs: string[]) => Promise<unknown>>;
      return scripted[name](...keys, String(now), names.channel, this.publishCommand, ...args.map(String));
    }
    const script = loaded[name];
    // One array, as the command goes: [SHA or body, numkeys, ...KEYS, ...ARGV] (scripts.ts).
    const command: string[] = [script.sha, String(script.numberOfKeys)];
    for (const key of keys) command.push(key);
    command.push(String(now), names.channel, this.publishCommand);
    for (const arg of args) command.push(String(arg));
    return callScript(on, script, command);
  }

  /**
   * A plain connection takes a command only once ready (see ready.ts), and then batches this turn's
   * writes (batch.ts); a Cluster refuses by itself. Undefined when the command can be written now:
   * nothing to wait for (an await costs every command a promise and a turn of the microtask queue).
   */
  private ready(connection: Connection): Promise<void> | undefined {
    if (this.isCluster) return undefined;
    const redis = connection as Redis;
    if (!isReady(redis)) {
      return whenReady(redis, redis.options.commandTimeout ?? 2000).then(() => batchWrites(redis));
    }
    batchWrites(redis);
    return undefined;
  }

  /**
   * A participant's list (`written` or `received`), [] when the session is gone: their members of
   * the sorted set, '<id> <order> <JSON>' in order (lua/common.lua), parsed as one JSON array.
   */
  private async readList(code: string, part: 'written' | 'received', participantId: string, now: number): Promise<unknown[]> {
    const { keys } = this.namesOf(code);
    await this.ready(this.client);
    const results = await this.client
      .multi()
      .hget(keys[PARTS.indexOf('session')]!, 'expiresAt')
      .zrangebylex(keys[PARTS.indexOf(part)]!, `[${participantId} `, `(${participantId}!`)
      .exec();
    if (!results) throw new Error('A Redis transaction was aborted.');
    const [[e1, expiresAt], [e2, members]] = results as [[Error | null, string | null], [Error | null, string[]]];
    if (e1 || e2) throw e1 ?? e2;
    if (expiresAt === null || Number(expiresAt) <= now || members.length === 0) return [];
    const start = participantId.length + 1;
    const entries = members.map((member) => member.slice(member.indexOf(' ', start) + 1));
    return JSON.parse(`[${entries.join(',')}]`) as unknown[];
  }

  /**
   * The bookkeeping connection, made on first use: its own connection on one Redis. A Cluster
   * keeps a connection per node already, and a duplicate of it would lose the failover hooks
   * `connectRedis` puts on it, so there the client itself does the bookkeeping.
   */
  private books(): Connection {
    if (this.isCluster) return this.client;
    if (!this.bookkeeper) {
      const books = this.client.duplicate() as Connection;
      books.on('error', (error: Error) => this.onError(error));
      if (!this.ioredis) defineScripts(books);
      this.bookkeeper = books;
    }
    return this.bookkeeper;
  }

  /** A session's key names, those of each script, and its channel (the same few codes come again and again). */
  private namesOf(code: string): SessionNames {
    let names = this.names.get(code);
    if (!names) {
      if (this.names.size >= 1000) this.names.clear();
      names = { keys: PARTS.map((part) => `${this.prefix}:{${code}}:${part}`), scripts: {}, channel: this.channel(code) };
      this.names.set(code, names);
    }
    return names;
  }

  private readonly names = new Map<string, SessionNames>();

  private channel(code: string): string {
    return `${this.prefix}:{${code}}:events`;
  }
}
