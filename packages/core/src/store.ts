/**
 * The Store interface: what a place that keeps sessions must do. Core holds the rules and asks
 * the store; the store keeps data, makes the contested steps atomic (one message per ordered
 * pair, unique names, no lost join, the reveal) and publishes facts to every subscriber of a
 * session, in this process or (for shared stores) in any other.
 *
 * Every method receives `now` (milliseconds) from core's clock: a session whose `expiresAt` is at
 * or before `now` counts as gone, whether or not the store has removed it yet. Every piece of data
 * a store keeps for a session must be gone by `expiresAt` and removed at once by `endSession`.
 * `runStoreContract` from `@warmshower/core/testing` checks all of this.
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
   * Adds a participant unless another one has the same `nameKey` (core computes it) or the
   * session already holds `maxParticipants`. Publishes `joined` on success. In an end-to-end
   * session a participant must bring a public key; in any other it must not.
   */
  join(code: string, participant: NewParticipant, now: number, bounds: { maxParticipants: number }): Promise<JoinOutcome>;

  /** Participants in join order, each with `online` from open streams; null when no live session. */
  participants(code: string, now: number): Promise<ParticipantRecord[] | null>;

  /** What the participant has sent, in the order sent: each message's id, recipient and thanks. */
  sentBy(code: string, participantId: string, now: number): Promise<SentRecord[]>;

  /**
   * Records a message from the owner of `senderTokenHash` in one atomic step, checking in this
   * order: live session, token of a participant, not the host's token, the body's kind fits the
   * session (text, or ciphertext in an end-to-end session), not to oneself, recipient exists, no
   * earlier message for the pair. Publishes `message` (to the recipient, only when the session
   * delivers now: live, or revealed) and then `sent` (for the sender); the two facts never travel
   * together. A reveal session holds the message until the reveal.
   */
  send(code: string, senderTokenHash: string, message: NewMessage, now: number): Promise<SendOutcome>;

  /**
   * The participant's received messages that may be shown: in a reveal session before the reveal,
   * none; after it, the held ones in their shuffled order (each `receivedAt` = the reveal time),
   * then later ones oldest first.
   */
  inbox(code: string, participantId: string, now: number): Promise<StoredMessage[]>;

  /**
   * Reveals a reveal session in one atomic step: from now on its messages are visible, the held
   * ones ordered by id (random, so not in send order) with `receivedAt` = `now`. Publishes
   * `revealed`.
   */
  reveal(code: string, now: number): Promise<RevealOutcome>;

  /** Moves the expiry of the session and of every key it owns to `expiresAt`; publishes `expiry`. */
  extend(code: string, expiresAt: number, ttlSeconds: number, now: number): Promise<boolean>;

  /**
   * Records that the owner of `recipientTokenHash` thanks message `messageId` of their own inbox,
   * once. Publishes `thanked` for the message's author. `not-found` for a message that is not in
   * their visible inbox (somebody else's, the author's own included).
   */
  thank(code: string, recipientTokenHash: string, messageId: string, now: number): Promise<ThankOutcome>;

  /** Deletes every piece of the session at once and publishes `ended`; false when there was none. */
  endSession(code: string, now: number): Promise<boolean>;

  /**
   * Counts one more open stream for a holder (a participant id, or `HOST`), refusing it when they
   * already hold `limit` anywhere. Publishes `presence` online when it is a participant's first.
   */
  streamOpened(code: string, holder: string, now: number, limit: number): Promise<StreamOutcome>;

  /** Counts one stream fewer; publishes `presence` offline when it was a participant's last. */
  streamClosed(code: string, holder: string, now: number): Promise<void>;

  /**
   * Called by core every few seconds for each session this process has open streams in, with how
   * many each holder has here. A store shared by several processes keeps these as leases: a
   * process that stops calling (it died) must stop counting within `leaseMs` of its last call, and
   * then its holders go offline (with `presence`). Answers whether the session still exists and,
   * for stores whose facts can be lost in transit, the session's latest fact number.
   */
  heartbeat(code: string, holders: ReadonlyMap<string, number>, now: number): Promise<Heartbeat>;

  /**
   * Listens to the facts of one session; the returned function stops listening. A store whose
   * subscription can drop (a network connection) calls the listener with `{ type: 'resync' }`
   * once it is listening again, so that core re-reads what it may have missed.
   */
  subscribe(code: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>>;

  /** Resolves when the store answers; rejects (or throws STORE_UNAVAILABLE) when it does not. */
  ping(): Promise<void>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** The holder name of the host's streams (participant ids are base64url and never contain `~`). */
export const HOST = '~host';

/** How long a lease of a shared store lasts without a heartbeat. */
export const leaseMs = 20_000;

/** What core gives a store to create a session. */
export interface NewSession {
  code: string;
  hostTokenHash: string;
  createdAt: number;
  expiresAt: number;
  ttlSeconds: number;
  delivery: 'live' | 'reveal';
  encryption: 'none' | 'e2e';
}

/** A live session as a store reports it. */
export interface SessionRecord extends NewSession {
  participantCount: number;
  /** Messages sent so far in the session (held ones included). */
  sent: number;
  /** When a reveal session was revealed; null before (and always for a live one). */
  revealedAt: number | null;
  /** The number of the latest fact published, for stores that number them; else 0. */
  seq: number;
}

/** What core gives a store to add a participant. */
export interface NewParticipant {
  id: string;
  displayName: string;
  /** `toLowerCase` of the display name: two participants of a session never share one. */
  nameKey: string;
  tokenHash: string;
  joinedAt: number;
  /** End-to-end sessions: the participant's X25519 public key, base64url. */
  publicKey: string | null;
}

/** A participant as others may see them (no token). */
export interface ParticipantRecord {
  id: string;
  displayName: string;
  joinedAt: number;
  online: boolean;
  publicKey: string | null;
}

/** A message as its recipient may read it: no sender, ever. `body` is its text or ciphertext. */
export interface StoredMessage {
  id: string;
  body: string;
  receivedAt: number;
  thanked: boolean;
}

/** What core gives a store to record a message. */
export interface NewMessage {
  id: string;
  to: string;
  body: string;
  /** `text` for a plain session, `ciphertext` for an end-to-end one. */
  kind: 'text' | 'ciphertext';
}

/** One message as its sender may know it. */
export interface SentRecord {
  id: string;
  to: string;
  thanked: boolean;
}

/**
 * A message record from what a store kept (a copy, or JSON read back), field by field: thanked
 * only when marked. Never spread: on Node 20 `{ ...m }` gives each copy a hidden class of its own.
 */
export function storedMessage(m: unknown): StoredMessage {
  const { id, body, receivedAt, thanked } = m as { id: string; body: string; receivedAt: number; thanked?: boolean };
  return { id, body, receivedAt, thanked: thanked === true };
}

/** A sent record from what a store kept, the same way. */
export function sentRecord(s: unknown): SentRecord {
  const { id, to, thanked } = s as { id: string; to: string; thanked?: boolean };
  return { id, to, thanked: thanked === true };
}

export type Actor = { kind: 'host' } | { kind: 'participant'; participant: ParticipantRecord };

export interface Lookup {
  session: SessionRecord;
  actor: Actor | null;
}

export type JoinOutcome =
  | { ok: true; participantCount: number; expiresAt: number }
  | { ok: false; reason: 'no-session' | 'name-taken' | 'full' | 'key-missing' | 'key-unexpected' };

export type SendOutcome =
  // Nothing here names the sender: a store's answer never carries who wrote what to whom.
  | { ok: true; sentCount: number; participantCount: number; sent: number }
  | {
      ok: false;
      reason: 'no-session' | 'unauthorized' | 'host' | 'self' | 'no-recipient' | 'wrong-kind' | 'already-sent';
    };

export type RevealOutcome =
  | { ok: true; revealedAt: number }
  | { ok: false; reason: 'no-session' | 'live' | 'already' };

export type ThankOutcome =
  | { ok: true }
  | { ok: false; reason: 'no-session' | 'unauthorized' | 'host' | 'not-found' | 'already' };

export type StreamOutcome = 'ok' | 'no-session' | 'too-many';

export type Heartbeat = { live: false } | { live: true; seq: number };

/**
 * What a store publishes to the subscribers of a session. Core turns facts into the events each
 * listener may see: `message` only to its recipient, `sent` only to its sender (and counts to the
 * host), `thanked` only to the author. No fact names both the sender and the recipient of a
 * message. `seq` numbers a session's facts for stores that can lose them in transit (a gap means
 * "re-read"); stores that cannot lose facts leave it out.
 */
export type SessionFact = (
  | {
      type: 'joined';
      participant: { id: string; displayName: string; publicKey: string | null };
      participantCount: number;
      sent: number;
    }
  | { type: 'message'; to: string; message: StoredMessage }
  | { type: 'sent'; from: string; sentCount: number; participantCount: number; sent: number }
  | { type: 'presence'; id: string; online: boolean }
  | { type: 'revealed'; revealedAt: number }
  | { type: 'expiry'; expiresAt: number; ttlSeconds: number }
  | { type: 'thanked'; author: string; id: string }
  | { type: 'ended' }
  | { type: 'resync' }
) & { seq?: number };
