/** Results and events of the Warm Shower API, shaped as the HTTP API sends them (SPEC §2, §3). */

export interface CreatedSession {
  code: string;
  hostToken: string;
  /** ISO 8601, UTC. */
  expiresAt: string;
  ttlSeconds: number;
}

export interface Progress {
  /** Messages sent so far. */
  sent: number;
  /** n·(n−1) for the n current participants. */
  possible: number;
}

export interface SessionSummary {
  code: string;
  expiresAt: string;
  participantCount: number;
  /** Only for the host. */
  progress?: Progress;
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

export interface SendReceipt {
  id: string;
  to: string;
  sentCount: number;
  remaining: number;
  complete: boolean;
}

/** A message as its recipient receives it. */
export interface InboxMessage {
  id: string;
  text: string;
  /** ISO 8601, UTC. */
  receivedAt: string;
}

export interface ReadyData {
  you: { id: string } | { host: true };
  participants: ParticipantView[];
  sentTo: string[];
  complete: boolean;
  expiresAt: string;
}

/** One event of a live stream. Only `message` carries an `id` (the SSE `id:` line). */
export type StreamEvent =
  | { event: 'ready'; data: ReadyData }
  | { event: 'participant-joined'; data: { id: string; displayName: string } }
  | { event: 'presence'; data: { id: string; online: boolean } }
  | { event: 'message'; id: string; data: InboxMessage }
  | { event: 'complete'; data: { sentCount: number } }
  | { event: 'progress'; data: Progress }
  | { event: 'session-ended'; data: { reason: 'ended' | 'expired' } };

export type StreamEventName = StreamEvent['event'];
