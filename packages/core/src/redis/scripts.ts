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
  'sent',
  'tally',
  'pairs',
  'inbox',
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
  warmshowerSend: { lua: send, parts: ['session', 'people', 'tokens', 'sent', 'tally', 'pairs', 'inbox', 'held', 'authors'] },
  warmshowerReveal: { lua: reveal, parts: ['session', 'inbox', 'held'] },
  warmshowerExtend: { lua: extend, parts: PARTS },
  warmshowerThank: { lua: thank, parts: ['session', 'tokens', 'sent', 'inbox', 'authors'] },
  warmshowerEndSession: { lua: endSession, parts: PARTS },
  warmshowerStreamOpened: { lua: streamOpened, parts: ['session', 'people', 'leases', 'streams', 'online'] },
  warmshowerStreamsClosed: { lua: streamsClosed, parts: ['session', 'leases', 'streams', 'online'] },
  warmshowerHeartbeat: { lua: heartbeat, parts: ['session', 'leases', 'streams', 'online'] },
} satisfies Record<string, { lua: string; parts: readonly Part[] }>;

export type ScriptName = keyof typeof scripts;
type Script = (...keysThenArgs: string[]) => Promise<unknown>;
export type Scripted = Record<ScriptName, Script>;

const entries = Object.entries(scripts) as [ScriptName, { lua: string; parts: readonly Part[] }][];

/** Where each of a script's KEYS is in PARTS, the order a session's key names are kept in. */
export const keysOf = {} as Record<ScriptName, readonly number[]>;
for (const [name, { parts }] of entries) keysOf[name] = parts.map((part) => PARTS.indexOf(part));

/**
 * Defines every script on a client (ioredis loads each once per connection, then calls it by
 * SHA), each after lua/common.lua, with `K` naming its KEYS (`K.session`, …). None is marked
 * read-only: a Cluster with `scaleReads` would send those to replicas, and a lookup right after a
 * create must see it.
 */
export function defineScripts(client: { defineCommand(name: string, definition: { lua: string; numberOfKeys: number }): void }): void {
  for (const [name, { lua, parts }] of entries) {
    const names = parts.map((part, i) => `${part} = KEYS[${i + 1}]`).join(', ');
    client.defineCommand(name, { lua: `local K = { ${names} }\n${common}\n${lua}`, numberOfKeys: parts.length });
  }
}
