// The page's state of one session, and the one function that changes it: `apply(state, action)`.
// Actions are the stream's events (SPEC §3) and the replies to the page's own requests. The DOM
// only renders what this returns; nothing here touches the browser, so Node tests cover it all.
import type { StreamRole, StreamStatus } from '@warmshower/client';
import { goneReason, type Delivery, type Encryption, type EndReason, type ParticipantView, type Progress, type SendReceipt, type ServerInfo, type StreamEvent } from '@warmshower/core/protocol';

/** Which stream an event came on: a host who joined too holds both. */
export type Source = StreamRole;

/** Where a stream stands (the client's statuses). */
export type Connection = StreamStatus;

/** A received warm shower. `text` is null when an end-to-end one could not be decrypted. */
export interface Received {
  id: string;
  text: string | null;
  receivedAt: string;
  thanked: boolean;
}

/** One of my own warm showers: to whom, what I wrote (kept in this tab), and whether it was thanked. */
export interface Sent {
  id: string;
  to: string;
  text: string | null;
  thanked: boolean;
}

/** A request the page makes whose progress and failure panels show. */
export type Task = 'join' | 'write' | 'thank' | 'reveal' | 'extend' | 'end';

export interface SessionState {
  code: string;
  /** My participant identity, when this tab joined. */
  me: { id: string; displayName: string } | null;
  /** This tab holds the host token. */
  host: boolean;
  delivery: Delivery;
  revealed: boolean;
  encryption: Encryption;
  /** ISO 8601. */
  expiresAt: string;
  /** Everyone, me included, in the order they joined. */
  participants: ParticipantView[];
  sentTo: string[];
  /** Core says whether I have written to everyone (`complete` / `incomplete`, send replies). */
  complete: boolean;
  /** The host's figures. */
  progress: Progress | null;
  inbox: Received[];
  sent: Sent[];
  /** The `expiring` warning, until the lifetime changes. */
  warning: { expiresAt: string } | null;
  /** How the session ended, once it has. */
  ended: EndReason | null;
  /** From GET /api/info: where others join, and whether that address is this machine only. */
  joinUrl: string | null;
  joinUrlIsLoopback: boolean;
  streams: Partial<Record<Source, Connection>>;
  /** Why the server refused a stream that is retrying (too many tabs, busy), until one is open again. */
  streamRefusal: string | null;
  /** Requests under way. */
  busy: Partial<Record<Task, true>>;
  /** The sentence of the last failure of each kind of request, until it is tried again. */
  problems: Partial<Record<Task, string>>;
  /** Messages that arrived while the tab was hidden. */
  unread: number;
  visible: boolean;
  /** The stream's first `ready` came. */
  ready: boolean;
}

export type Action =
  /** A stream event; for an end-to-end `message`, `opened` is its text (null: it did not open). */
  | { type: 'event'; source: Source; event: StreamEvent; opened?: string | null }
  | { type: 'status'; source: Source; status: Connection; refusal?: string | null }
  | { type: 'info'; info: Pick<ServerInfo, 'joinUrl' | 'joinUrlIsLoopback'> }
  | { type: 'request'; task: Task }
  | { type: 'failed'; task: Task; sentence: string }
  | { type: 'joined'; me: { id: string; displayName: string } }
  | { type: 'sent'; receipt: SendReceipt; text: string }
  /** A 409: this person already had one from me (from another device, say). */
  | { type: 'already-sent'; to: string }
  | { type: 'thanked-it'; id: string }
  | { type: 'revealed-it' }
  | { type: 'extended'; expiresAt: string }
  | { type: 'ended-it' }
  /** A request answered that the session is not there (404): over, whichever way. */
  | { type: 'gone'; now: number }
  | { type: 'visibility'; visible: boolean };

/** What a tab knows of a session before its stream speaks (from its pass in sessionStorage). */
export function initialState(pass: {
  code: string;
  expiresAt: string;
  host: boolean;
  me?: { id: string; displayName: string } | null;
  sent?: Array<{ id: string; to: string; text: string | null }>;
}): SessionState {
  return {
    code: pass.code,
    me: pass.me ?? null,
    host: pass.host,
    delivery: 'live',
    revealed: false,
    encryption: 'none',
    expiresAt: pass.expiresAt,
    participants: [],
    sentTo: [],
    complete: false,
    progress: null,
    inbox: [],
    sent: (pass.sent ?? []).map((s) => ({ ...s, thanked: false })),
    warning: null,
    ended: null,
    joinUrl: null,
    joinUrlIsLoopback: false,
    streams: {},
    streamRefusal: null,
    busy: {},
    problems: {},
    unread: 0,
    visible: true,
    ready: false,
  };
}

const without = <T extends object>(record: T, key: keyof T): T => {
  const next = { ...record };
  delete next[key];
  return next;
};

const done = (state: SessionState, task: Task): Pick<SessionState, 'busy' | 'problems'> => ({
  busy: without(state.busy, task),
  problems: without(state.problems, task),
});

const addOnce = (list: string[], id: string): string[] => (list.includes(id) ? list : [...list, id]);

/** The next state. Returns `state` itself when nothing changes; never mutates it. */
export function apply(state: SessionState, action: Action): SessionState {
  // Once over, only what keeps the reader's messages readable still matters.
  if (state.ended && action.type !== 'visibility') return state;
  switch (action.type) {
    case 'event':
      return onEvent(state, action.source, action.event, action.opened);
    case 'status':
      return {
        ...state,
        streams: { ...state.streams, [action.source]: action.status },
        streamRefusal: action.status === 'open' ? null : action.status === 'reconnecting' ? (action.refusal ?? null) : state.streamRefusal,
      };
    case 'info':
      return { ...state, joinUrl: action.info.joinUrl, joinUrlIsLoopback: action.info.joinUrlIsLoopback };
    case 'request':
      return { ...state, busy: { ...state.busy, [action.task]: true }, problems: without(state.problems, action.task) };
    case 'failed':
      return { ...state, busy: without(state.busy, action.task), problems: { ...state.problems, [action.task]: action.sentence } };
    case 'joined':
      return { ...state, ...done(state, 'join'), me: action.me };
    case 'sent': {
      const { receipt } = action;
      const sent = state.sent.some((s) => s.id === receipt.id)
        ? state.sent
        : [...state.sent, { id: receipt.id, to: receipt.to, text: action.text, thanked: false }];
      return { ...state, ...done(state, 'write'), sentTo: addOnce(state.sentTo, receipt.to), complete: receipt.complete, sent };
    }
    case 'already-sent':
      return { ...state, ...done(state, 'write'), sentTo: addOnce(state.sentTo, action.to) };
    case 'thanked-it':
      return { ...state, ...done(state, 'thank'), inbox: state.inbox.map((m) => (m.id === action.id ? { ...m, thanked: true } : m)) };
    case 'revealed-it':
      return { ...state, ...done(state, 'reveal'), revealed: true };
    case 'extended':
      return { ...state, ...done(state, 'extend'), expiresAt: action.expiresAt, warning: null };
    case 'ended-it':
      return { ...state, ...done(state, 'end'), ended: 'ended' };
    case 'gone':
      return { ...state, busy: {}, ended: goneReason(Date.parse(state.expiresAt), action.now) };
    case 'visibility':
      return { ...state, visible: action.visible, unread: action.visible ? 0 : state.unread };
  }
}

function onEvent(state: SessionState, source: Source, event: StreamEvent, opened?: string | null): SessionState {
  switch (event.event) {
    case 'ready': {
      const data = event.data;
      const common = {
        ...state,
        ready: true,
        participants: data.participants,
        expiresAt: data.expiresAt,
        // A warning for an end that moved while this tab was away is stale; a stream that opens
        // within the new warning hears `expiring` again.
        warning: state.warning?.expiresAt === data.expiresAt ? state.warning : null,
        delivery: data.delivery ?? state.delivery,
        revealed: data.revealed ?? state.revealed,
        encryption: data.encryption ?? state.encryption,
      };
      if (source === 'host' || !('id' in data.you)) return common;
      // My own warm showers as the server has them, with the texts this tab kept.
      const sent = data.sent
        ? data.sent.map((s) => ({ ...s, text: state.sent.find((mine) => mine.id === s.id)?.text ?? null }))
        : state.sent;
      return { ...common, sentTo: data.sentTo, complete: data.complete, sent };
    }
    case 'participant-joined': {
      if (state.participants.some((p) => p.id === event.data.id)) return state;
      const { id, displayName, publicKey } = event.data;
      return { ...state, participants: [...state.participants, { id, displayName, online: false, ...(publicKey ? { publicKey } : {}) }] };
    }
    case 'presence':
      return {
        ...state,
        participants: state.participants.map((p) => (p.id === event.data.id ? { ...p, online: event.data.online } : p)),
      };
    case 'message': {
      const data = event.data;
      if (state.inbox.some((m) => m.id === data.id)) return state; // a replay after a reconnection
      const text = data.text ?? opened ?? null;
      const message: Received = { id: data.id, text, receivedAt: data.receivedAt, thanked: data.thanked === true };
      return { ...state, inbox: [...state.inbox, message], unread: state.visible ? state.unread : state.unread + 1 };
    }
    case 'complete':
      return { ...state, complete: true };
    case 'incomplete':
      return { ...state, complete: false };
    case 'progress':
      return { ...state, progress: event.data };
    case 'revealed':
      return { ...state, revealed: true, busy: without(state.busy, 'reveal') };
    case 'expiring':
      return { ...state, expiresAt: event.data.expiresAt, warning: { expiresAt: event.data.expiresAt } };
    case 'expiry-changed':
      return { ...state, expiresAt: event.data.expiresAt, warning: null };
    case 'thanked':
      return { ...state, sent: state.sent.map((s) => (s.id === event.data.id ? { ...s, thanked: true } : s)) };
    case 'session-ended':
      return { ...state, busy: {}, ended: event.data.reason };
  }
}

// ---- what panels derive ----------------------------------------------------------------------

/** Everyone but me, by name. */
export const others = (state: SessionState): ParticipantView[] =>
  state.participants.filter((p) => p.id !== state.me?.id).sort((a, b) => a.displayName.localeCompare(b.displayName));

/** The name of a participant, or a neutral word for someone the page does not know. */
export const nameOf = (state: SessionState, id: string): string =>
  state.participants.find((p) => p.id === id)?.displayName ?? 'someone who left';

/** Received warm showers, newest first. */
export const newestFirst = (state: SessionState): Received[] =>
  [...state.inbox].sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));

/** A reveal session whose messages are still held. */
export const held = (state: SessionState): boolean => state.delivery === 'reveal' && !state.revealed;

/** The host's figures say everyone has written to everyone. */
export const allWritten = (state: SessionState): boolean =>
  state.progress !== null && state.progress.possible > 0 && state.progress.sent >= state.progress.possible;
