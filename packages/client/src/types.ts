// The client's own public types: what `fetch` it takes, replies the protocol does not name, and
// the live stream's options, statuses and handle.
import type { EndReason, StreamEvent } from '@warmshower/core/protocol';

/** The `fetch` the client calls: the global one by default, or any function of that shape. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Who a stream is for, for a cookie-authenticated EventSource (`?as=host` picks the host cookie). */
export type StreamRole = 'participant' | 'host';

/** What `reveal` answers. */
export interface Revealed {
  revealed: true;
}

/** What `thank` answers: the id of the thanked message. */
export interface Thanked {
  id: string;
}

/**
 * Where a stream stands. `connecting`: the first attempt. `open`: the server accepted a
 * connection (`ready` follows). `reconnecting`: the connection dropped or an attempt failed, and
 * another follows after `delayMs`. `ended` and `failed`: final, once.
 */
export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'ended' | 'failed';

/** How a stream ended: the session's end reason (SPEC §3), or `closed` by `close()` or the signal. */
export type StreamEndReason = EndReason | 'closed';

/** What `EventStream.ended` resolves with. */
export interface StreamEnd {
  reason: StreamEndReason;
}

/** What comes with a status change. */
export interface StreamStatusDetail {
  /** Connection attempts so far, the current one included (1 for the first). */
  attempt: number;
  /** `reconnecting`: milliseconds until the next attempt. */
  delayMs?: number;
  /**
   * `reconnecting`: what dropped the stream or refused the attempt (a WarmshowerClientError, with
   * the status of a refusal). `failed`: why the stream gave up (also what `ended` rejects with).
   */
  error?: Error;
  /** `ended`: how. */
  reason?: StreamEndReason;
}

export interface StreamOptions {
  /** For a cookie-authenticated stream only (`?as=host`); with a token the token decides. */
  as?: StreamRole;
  /** Start after this message (SSE `Last-Event-ID`); without it, the stream starts with the whole inbox. */
  lastEventId?: string | null;
  /** Every event, in order. `ready` is the first of every connection, so it comes again after a reconnection. */
  onEvent(event: StreamEvent): void;
  /** Every status change, with its detail. */
  onStatus?(status: StreamStatus, detail: StreamStatusDetail): void;
  /** Delay before the first retry; doubled (±20 %) on each failure in a row, up to `maxDelayMs`. Default 250 ms. */
  initialDelayMs?: number;
  /** Default 5000 ms. */
  maxDelayMs?: number;
  /** Silence (no event, no `: ping`) longer than this drops the connection and reconnects. Default 45000 ms (3 pings). */
  idleTimeoutMs?: number;
  /** When the first attempt fails in any way (unreachable, 5xx, 429), reject `ended` instead of retrying. Default false. */
  failFast?: boolean;
  /** Aborting it is `close()`. */
  signal?: AbortSignal;
}

/** One open subscription to a session's live events. */
export interface EventStream {
  /**
   * Resolves when the stream is over: `{reason}` of `session-ended` (a real one, or one made up by
   * the client for a session that vanished while disconnected: `expired` or `lost`), or
   * `{reason: 'closed'}` after `close()`. Rejects with a WarmshowerClientError when the server
   * refuses the stream for good (401, 403, a first 404) or `failFast` gives up, and with the error
   * `onEvent` or `onStatus` threw. A rejection nobody awaits is not reported as unhandled.
   */
  readonly ended: Promise<StreamEnd>;
  /** The id of the last message delivered (or the `lastEventId` given), sent as `Last-Event-ID`. */
  readonly lastEventId: string | null;
  readonly status: StreamStatus;
  /** Stops the stream for good: no more events; `ended` resolves with `{reason: 'closed'}`. */
  close(): void;
}

/** What a client hands a stream: where, with which credentials and fetch (internal). */
export interface StreamTransport {
  base: URL;
  url: string;
  headers: Record<string, string>;
  fetch: FetchLike;
  /** How long until the server's reply headers. */
  timeoutMs: number;
}

