/** Replies, bodies and events of the Warm Shower API, shaped as the HTTP API sends them (SPEC §2, §3). */

/** `live`: each message reaches its recipient at once. `reveal`: held until the host reveals (rule 9). */
export type Delivery = 'live' | 'reveal';
/** `none`: the server sees texts. `e2e`: it sees only ciphertext (SPEC §10). */
export type Encryption = 'none' | 'e2e';

/** `GET /api/info` (SPEC §8). */
export interface ServerInfo {
  version: string;
  /** The base join links start with, e.g. `http://192.168.1.20:3000/`; links are `<joinUrl>?code=123456`. */
  joinUrl: string;
  /** True when `joinUrl` points at this machine only (loopback): other devices cannot open it. */
  joinUrlIsLoopback: boolean;
  limits: {
    ttlSeconds: { min: number; max: number; default: number };
    displayName: number;
    text: number;
    maxParticipants: number;
  };
}

/** `POST /api/sessions` body. */
export interface CreateSessionBody {
  ttlSeconds?: number;
  delivery?: Delivery;
  encryption?: Encryption;
}

export interface CreatedSession {
  code: string;
  hostToken: string;
  /** ISO 8601, UTC. */
  expiresAt: string;
  ttlSeconds: number;
  delivery: Delivery;
  encryption: Encryption;
}

export interface Progress {
  /** Messages sent so far (held ones included). */
  sent: number;
  /** n·(n−1) for the n current participants. */
  possible: number;
}

export interface SessionSummary {
  code: string;
  expiresAt: string;
  participantCount: number;
  delivery: Delivery;
  /** True once a reveal session has been revealed; always false for a live one. */
  revealed: boolean;
  encryption: Encryption;
  /** Only for the host. */
  progress?: Progress;
}

/** `PATCH /api/sessions/:code` reply (rule 10). */
export interface ExpiryChanged {
  code: string;
  expiresAt: string;
  ttlSeconds: number;
}

/** `POST /api/sessions/:code/participants` body. */
export interface JoinBody {
  displayName?: string | null;
  /** End-to-end sessions only: the 32-byte raw X25519 public key, base64url. */
  publicKey?: string;
}

export interface JoinedParticipant {
  id: string;
  token: string;
  displayName: string;
  expiresAt: string;
}

export interface ParticipantView {
  id: string;
  displayName: string;
  online: boolean;
  /** End-to-end sessions only. */
  publicKey?: string;
}

export interface MyProgress {
  id: string;
  sentTo: string[];
  complete: boolean;
}

export interface ParticipantList {
  participants: ParticipantView[];
  /** Only for a participant's own token. */
  me?: MyProgress;
}

/** `POST /api/sessions/:code/messages` body: `text`, or `ciphertext` in an end-to-end session. */
export type SendBody = { to: string; text: string } | { to: string; ciphertext: string };

export interface SendReceipt {
  id: string;
  to: string;
  sentCount: number;
  remaining: number;
  complete: boolean;
}

/** One of my own warm showers, as its sender may know it (never anyone else's). */
export interface SentMessage {
  id: string;
  to: string;
  /** The recipient thanked it (rule 11). */
  thanked: boolean;
}

/** A message as its recipient receives it: never its sender. */
export type InboxMessage = {
  id: string;
  /** ISO 8601, UTC; in a reveal session, the moment of the reveal. */
  receivedAt: string;
  /** Present (true) once the recipient has thanked it. */
  thanked?: true;
} & ({ text: string; ciphertext?: undefined } | { ciphertext: string; text?: undefined });

export interface ReadyData {
  you: { id: string } | { host: true };
  participants: ParticipantView[];
  sentTo: string[];
  complete: boolean;
  expiresAt: string;
  delivery: Delivery;
  revealed: boolean;
  encryption: Encryption;
  /** A participant's own warm showers, with their ids and whether they were thanked. */
  sent?: SentMessage[];
}

export type EndReason = 'ended' | 'expired' | 'lost';

/** One event of a live stream. Only `message` carries an `id` (the SSE `id:` line). */
export type StreamEvent =
  | { event: 'ready'; data: ReadyData }
  | { event: 'participant-joined'; data: { id: string; displayName: string; publicKey?: string } }
  | { event: 'presence'; data: { id: string; online: boolean } }
  | { event: 'message'; id: string; data: InboxMessage }
  | { event: 'complete'; data: { sentCount: number } }
  | { event: 'incomplete'; data: { sentCount: number; remaining: number } }
  | { event: 'progress'; data: Progress }
  | { event: 'revealed'; data: Record<string, never> }
  | { event: 'expiring'; data: { expiresAt: string } }
  | { event: 'expiry-changed'; data: { expiresAt: string } }
  | { event: 'thanked'; data: { id: string } }
  | { event: 'session-ended'; data: { reason: EndReason } };

export type StreamEventName = StreamEvent['event'];
export type StreamEventData<E extends StreamEventName> = Extract<StreamEvent, { event: E }>['data'];

/** Every event name of SPEC §3, in the order a stream may first send them. */
export const streamEventNames: readonly StreamEventName[] = [
  'ready',
  'participant-joined',
  'presence',
  'message',
  'complete',
  'incomplete',
  'progress',
  'revealed',
  'expiring',
  'expiry-changed',
  'thanked',
  'session-ended',
];
