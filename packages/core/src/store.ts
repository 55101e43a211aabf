/**
 * The Store interface: what a place that keeps sessions must do. Core holds the rules and asks
 * the store; the store keeps data, makes the contested steps atomic (one message per ordered
 * pair, unique names, no lost join) and publishes facts to every subscriber of a session, in
 * this process or (for shared stores) in any other.
 *
 * Every method receives `now` (milliseconds) from core's clock: a session whose `expiresAt` is
 * at or before `now` counts as gone, whether or not the store has removed it yet. Every piece of
 * data a store keeps for a session must be gone by `expiresAt` and removed at once by
 * `endSession`. `runStoreContract` from `@warmshower/core/testing` checks all of this.
 */
export interface Store {
  /** Creates a session unless a live one has the same code; false when the code is taken. */
  createSession(session: NewSession, now: number): Promise<boolean>;

  /**
   * The live session and, when a token hash is given, whose it is: the host's, a participant's,
   * or nobody's (`actor: null`). Null when there is no live session with that code.
   */
  lookup(code: string, tokenHash: string | null, now: number): Promise<Lookup | null>;

  /**
   * Adds a participant unless another one has the same name, compared with plain
   * `toLowerCase()`. Publishes `joined` on success.
   */
  join(code: string, participant: NewParticipant, now: number): Promise<JoinOutcome>;

  /** Participants in join order, each with `online` from open streams; null when no live session. */
  participants(code: string, now: number): Promise<ParticipantRecord[] | null>;

  /** Ids the participant has sent to, in the order sent. */
  sentTo(code: string, participantId: string, now: number): Promise<string[]>;

  /**
   * Records a message from the owner of `senderTokenHash` in one atomic step, checking in this
   * order: live session, token of a participant, not the host's token, not to oneself,
   * recipient exists, no earlier message for the pair. Publishes `message` (to the recipient)
   * and then `sent` (for the sender) on success; the two facts never travel together.
   */
  send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome>;

  /** The participant's received messages, oldest first. */
  inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]>;

  /** Deletes every piece of the session at once and publishes `ended`; false when there was none. */
  endSession(code: string): Promise<boolean>;

  /**
   * Counts one more open stream for a participant; publishes `presence` online when it is their
   * first. False (and nothing stored) when there is no live session.
   */
  streamOpened(code: string, participantId: string, now: number): Promise<boolean>;

  /** Counts one stream fewer; publishes `presence` offline when it was their last. */
  streamClosed(code: string, participantId: string, now: number): Promise<void>;

  /** Listens to the facts of one session; the returned function stops listening. */
  subscribe(code: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>>;

  /** Resolves when the store answers; rejects (or throws STORE_UNAVAILABLE) when it does not. */
  ping(): Promise<void>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** What core gives a store to create a session. */
export interface NewSession {
  code: string;
  hostTokenHash: string;
  createdAt: number;
  expiresAt: number;
  ttlSeconds: number;
}

/** A live session as a store reports it. */
export interface SessionRecord extends NewSession {
  participantCount: number;
  /** Messages sent so far in the session. */
  sent: number;
}

/** What core gives a store to add a participant. */
export interface NewParticipant {
  id: string;
  displayName: string;
  tokenHash: string;
  joinedAt: number;
}

/** A participant as others may see them (no token). */
export interface ParticipantRecord {
  id: string;
  displayName: string;
  joinedAt: number;
  online: boolean;
}

/** A message as its recipient may read it: no sender, ever. */
export interface StoredMessage {
  id: string;
  text: string;
  receivedAt: number;
}

/** What core gives a store to record a message. */
export interface NewMessage extends StoredMessage {
  to: string;
}

export type Actor = { kind: 'host' } | { kind: 'participant'; participant: ParticipantRecord };

export interface Lookup {
  session: SessionRecord;
  actor: Actor | null;
}

export type JoinOutcome =
  | { ok: true; participantCount: number; expiresAt: number }
  | { ok: false; reason: 'no-session' | 'name-taken' };

export type SendOutcome =
  | { ok: true; from: string; sentCount: number; participantCount: number; sent: number }
  | { ok: false; reason: 'no-session' | 'unauthorized' | 'host' | 'self' | 'no-recipient' | 'already-sent' };

/**
 * What a store publishes to the subscribers of a session. Core turns facts into the events each
 * listener may see: `message` only to its recipient, `sent` only to its sender (and counts to
 * the host). No fact names both the sender and the recipient of a message.
 */
export type SessionFact =
  | { type: 'joined'; participant: { id: string; displayName: string }; participantCount: number; sent: number }
  | { type: 'message'; to: string; message: StoredMessage }
  | { type: 'sent'; from: string; sentCount: number; participantCount: number; sent: number }
  | { type: 'presence'; id: string; online: boolean }
  | { type: 'ended' };
