import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import type { Connection } from './subscriber.js';
import common from './lua/common.lua';
import createSession from './lua/create-session.lua';
import endSession from './lua/end-session.lua';
import extend from './lua/extend.lua';
import heartbeat from './lua/heartbeat.lua';
import join from './lua/join.lua';
import lookup from './lua/lookup.lua';
import participants from './lua/participants.lua';
import reveal from './lua/reveal.lua';
import send from './lua/send.lua';
import streamOpened from './lua/stream-opened.lua';
import streamsClosed from './lua/streams-closed.lua';
import thank from './lua/thank.lua';

/** The parts of a session: a session's key names are kept in this order (see lua/common.lua). */
export const PARTS = [
  'session',
  'people',
  'roster',
  'names',
  'tokens',
  'written',
  'tally',
  'pairs',
  'received',
  'held',
  'authors',
  'leases',
  'streams',
  'online',
] as const;
export type Part = (typeof PARTS)[number];

/**
 * Each script and the parts of a session it touches, itself or through lua/common.lua (`session`
 * always: every script checks the session, and publishing numbers facts with its `seq`; the
 * sweep of dead processes' leases needs `leases`, `streams` and `online`). A script takes only
 * these as KEYS, in this order: every key is an argument that ioredis copies and frames and Redis
 * parses, and a send takes 9 instead of 14 (a command measured alone: ~16 → ~12 µs of client CPU).
 */
const scripts = {
  warmshowerCreateSession: { lua: createSession, parts: PARTS },
  warmshowerLookup: { lua: lookup, parts: ['session', 'people', 'tokens', 'online'] },
  warmshowerJoin: { lua: join, parts: ['session', 'people', 'roster', 'names', 'tokens'] },
  warmshowerParticipants: { lua: participants, parts: ['session', 'people', 'roster', 'leases', 'streams', 'online'] },
  warmshowerSend: { lua: send, parts: ['session', 'people', 'tokens', 'written', 'tally', 'pairs', 'received', 'held', 'authors'] },
  warmshowerReveal: { lua: reveal, parts: ['session', 'received', 'held'] },
  warmshowerExtend: { lua: extend, parts: PARTS },
  warmshowerThank: { lua: thank, parts: ['session', 'tokens', 'written', 'received', 'authors'] },
  warmshowerEndSession: { lua: endSession, parts: PARTS },
  warmshowerStreamOpened: { lua: streamOpened, parts: ['session', 'people', 'leases', 'streams', 'online'] },
  warmshowerStreamsClosed: { lua: streamsClosed, parts: ['session', 'leases', 'streams', 'online'] },
  warmshowerHeartbeat: { lua: heartbeat, parts: ['session', 'leases', 'streams', 'online'] },
} satisfies Record<string, { lua: string; parts: readonly Part[] }>;

export type ScriptName = keyof typeof scripts;

const entries = Object.entries(scripts) as [ScriptName, { lua: string; parts: readonly Part[] }][];

/** Where each of a script's KEYS is in PARTS, the order a session's key names are kept in. */
export const keysOf = {} as Record<ScriptName, readonly number[]>;
for (const [name, { parts }] of entries) keysOf[name] = parts.map((part) => PARTS.indexOf(part));

/** A script as Redis runs it: lua/common.lua after a line that names its KEYS in `K`, and its SHA. */
export interface LoadedScript {
  readonly lua: string;
  readonly sha: string;
  readonly numberOfKeys: number;
  /** Sockets that have been sent the script's body, so know its SHA. */
  readonly onSocket: WeakSet<object>;
}

export const loaded = {} as Record<ScriptName, LoadedScript>;
for (const [name, { lua, parts }] of entries) {
  const names = parts.map((part, i) => `${part} = KEYS[${i + 1}]`).join(', ');
  const body = `local K = { ${names} }\n${common}\n${lua}`;
  loaded[name] = { lua: body, sha: createHash('sha1').update(body).digest('hex'), numberOfKeys: parts.length, onSocket: new WeakSet() };
}

/**
 * Defines every script on a client that is not ioredis's own (ioredis-mock: `callScript` needs
 * ioredis's `Command`). None is marked read-only: a Cluster with `scaleReads` would send those to
 * replicas, and a lookup right after a create must see it.
 */
export function defineScripts(client: { defineCommand(name: string, definition: { lua: string; numberOfKeys: number }): void }): void {
  for (const [name, { lua, numberOfKeys }] of Object.entries(loaded)) client.defineCommand(name, { lua, numberOfKeys });
}

/** Replies as strings, as ioredis's own commands give them (a bare `Command` gives Buffers). */
const utf8 = { replyEncoding: 'utf8' } as const;

/**
 * One call of a script: `EVALSHA`, or `EVAL` with the script's body the first time on a socket
 * (Redis then keeps it), as ioredis's own script commands do (its `Script`), without their copies
 * of the arguments: ioredis's `Command` copies them with `Array.prototype.flat()` (~85 ns an
 * argument on Node 20; a send has 20), and its script command spreads them twice more and chains
 * two promises. Here they are one array, made once by the caller, given to `Command` after it
 * was built with none.
 */
class ScriptCommand extends Command {
  /** The socket it was last written to, to forget if Redis answers that it lacks the script. */
  socket: object | undefined;

  constructor(
    readonly script: LoadedScript,
    /** `[<anything>, numberOfKeys, ...keys, ...argv]`: the first becomes the SHA or the body. */
    args: string[],
  ) {
    super('evalsha', [], utf8);
    this.args = args;
  }

  override toWritable(socket: object): string | Buffer {
    this.socket = socket;
    if (this.script.onSocket.has(socket)) {
      this.name = 'evalsha';
      this.args[0] = this.script.sha;
    } else {
      this.script.onSocket.add(socket);
      this.name = 'eval';
      this.args[0] = this.script.lua;
    }
    return super.toWritable(socket);
  }
}

/**
 * Runs a script with `args` as `callScript` wants them (see `ScriptCommand`). A Redis whose
 * script cache was emptied (`SCRIPT FLUSH`, a replica promoted without it) answers NOSCRIPT: the
 * script then goes again, with its body.
 */
export function callScript(connection: Connection, script: LoadedScript, args: string[]): Promise<unknown> {
  const command = new ScriptCommand(script, args);
  return (connection.sendCommand(command) as Promise<unknown>).catch((error: Error) => {
    if (!String(error?.message).includes('NOSCRIPT')) throw error;
    if (command.socket) script.onSocket.delete(command.socket);
    return connection.sendCommand(new ScriptCommand(script, args.slice())) as Promise<unknown>;
  });
}
