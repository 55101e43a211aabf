// @warmshower/client: the one typed HTTP + SSE client of the Warm Shower API, for pages and Node 20.
// It imports only @warmshower/core/protocol (no Node APIs), so a page can bundle it.

/** The client: one method per route of the API, and `stream` for live events. */
export { WarmshowerClient } from './http.js';
/** Options of `new WarmshowerClient`, the `fetch` it accepts, the stream role, and the replies of `reveal` and `thank`. */
export type { ClientOptions } from './http.js';
export type { FetchLike, Revealed, StreamRole, Thanked } from './types.js';

/** The error every failed call rejects with: the API's code, or `NETWORK` / `UNEXPECTED_REPLY`. */
export { WarmshowerClientError } from './errors.js';
/** True for a WarmshowerClientError, also from another copy of this package. */
export { isWarmshowerClientError } from './errors.js';
/** True when the server no longer knows the session (`SESSION_NOT_FOUND`). */
export { isSessionGone, withoutApi } from './errors.js';
/** The client's error codes, its error's JSON shape and constructor options. */
export type { ClientErrorBody, ClientErrorCode, ClientErrorOptions } from './errors.js';

/** The live-events handle, its options, statuses and endings. */
export type { EventStream, StreamEnd, StreamEndReason, StreamOptions, StreamStatus, StreamStatusDetail } from './types.js';

/** The protocol's types and rules, re-exported so that a client user needs one import. */
export type {
  CreatedSession,
  CreateSessionBody,
  Delivery,
  Encryption,
  EndReason,
  ErrorCode,
  ExpiryChanged,
  InboxMessage,
  JoinBody,
  JoinedParticipant,
  MyProgress,
  ParticipantList,
  ParticipantView,
  Progress,
  ReadyData,
  SendBody,
  SendReceipt,
  SentMessage,
  ServerInfo,
  SessionSummary,
  StreamEvent,
  StreamEventData,
  StreamEventName,
} from '@warmshower/core/protocol';
/** Session codes as people type them, and the core's error class (WarmshowerClientError extends it). */
export { isSessionCode, normaliseCode, WarmshowerError } from '@warmshower/core/protocol';
