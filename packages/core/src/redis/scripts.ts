import common from './lua/common.lua';
import createSession from './lua/create-session-14.lua';
import endSession from './lua/end-session-14.lua';
import extend from './lua/extend-14.lua';
import heartbeat from './lua/heartbeat-14.lua';
import join from './lua/join-14.lua';
import lookup from './lua/lookup-14.lua';
import participants from './lua/participants-14.lua';
import reveal from './lua/reveal-14.lua';
import send from './lua/send-14.lua';
import streamOpened from './lua/stream-opened-14.lua';
import streamsClosed from './lua/streams-closed-14.lua';
import thank from './lua/thank-14.lua';

/** The parts of a session, in the order every script takes them as KEYS (see lua/common.lua). */
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

const scripts = {
  warmshowerCreateSession: createSession,
  warmshowerLookup: lookup,
  warmshowerJoin: join,
  warmshowerParticipants: participants,
  warmshowerSend: send,
  warmshowerReveal: reveal,
  warmshowerExtend: extend,
  warmshowerThank: thank,
  warmshowerEndSession: endSession,
  warmshowerStreamOpened: streamOpened,
  warmshowerStreamsClosed: streamsClosed,
  warmshowerHeartbeat: heartbeat,
};

export type ScriptName = keyof typeof scripts;
type Script = (...keysThenArgs: string[]) => Promise<unknown>;
export type Scripted = Record<ScriptName, Script>;

/**
 * Defines every script on a client (ioredis loads each once per connection, then calls it by
 * SHA). None is marked read-only: a Cluster with `scaleReads` would send those to replicas, and a
 * lookup right after a create must see it.
 */
export function defineScripts(client: { defineCommand(name: string, definition: { lua: string; numberOfKeys: number }): void }): void {
  for (const [name, lua] of Object.entries(scripts)) {
    client.defineCommand(name, { lua: `${common}\n${lua}`, numberOfKeys: PARTS.length });
  }
}
