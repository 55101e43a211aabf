import type { StreamEvent, StreamEventName } from '@warmshower/core';
import { EventSource, type FetchLikeResponse } from 'eventsource';
import type { WarmshowerClient } from './client.js';
import { ApiError, CliError, exitCodes } from './exit-codes.js';

export interface ListenOptions {
  /** Start after this message (SSE `Last-Event-ID`); without it the stream starts with the whole inbox. */
  lastEventId?: string | null;
  /** Called once per event, in order; a message is never passed twice. */
  onEvent(event: StreamEvent): void;
  /** Called when a dropped stream will be reopened after `delayMs`. */
  onReconnecting?(delayMs: number): void;
  /** Called when a stream is open again after a drop. */
  onReconnected?(): void;
  /** Delay before the first retry, doubled on each failure up to `maxDelayMs`. Default 250 ms and 5 s. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A stream silent for this long counts as dropped (the server pings every 15 s; a sleeping laptop
   * or a NAT that forgot the connection sends nothing, not even a close). Default 45 s.
   */
  idleTimeoutMs?: number;
}

export interface Listening {
  /** Resolves on `session-ended`; rejects when the server refuses the stream (404, 401, 403…). */
  readonly ended: Promise<{ reason: 'ended' | 'expired' }>;
  /** Stops listening; `ended` then never settles. */
  close(): void;
}

const eventNames: StreamEventName[] = [
  'ready',
  'participant-joined',
  'presence',
  'message',
  'complete',
  'progress',
  'session-ended',
];

/**
 * Listens to a session's live events (SPEC §3) with `eventsource`, adding the bearer token to the
 * request. A stream that drops is reopened with backoff and `Last-Event-ID`, so the server replays
 * exactly the messages after the last one received; ids already seen are skipped as a safeguard.
 * The first connection failing is an error (the server is not there); later ones are retried.
 */
export function listenToSession(client: WarmshowerClient, code: string, options: ListenOptions): Listening {
  const initialDelayMs = options.initialDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  let lastEventId = options.lastEventId ?? null;
  const seen = new Set<string>();
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let connectedOnce = false;
  // From `ready`: past it the session is gone for sure, so retrying would only wait forever.
  let expiresAt = Number.POSITIVE_INFINITY;
  let delayMs = initialDelayMs;
  let closed = false;
  let resolveEnded!: (value: { reason: 'ended' | 'expired' }) => void;
  let rejectEnded!: (error: Error) => void;
  const ended = new Promise<{ reason: 'ended' | 'expired' }>((resolve, reject) => {
    resolveEnded = resolve;
    rejectEnded = reject;
  });

  const stop = () => {
    closed = true;
    clearTimeout(retryTimer);
    clearTimeout(idleTimer);
    source?.close();
  };

  const fail = (error: Error) => {
    stop();
    rejectEnded(error);
  };

  /** Opens the stream again after a growing, slightly random delay. */
  const retry = () => {
    clearTimeout(idleTimer);
    if (closed) return;
    if (Date.now() >= expiresAt) {
      fail(new ApiError('SESSION_NOT_FOUND', 'The session expired while the stream was disconnected.', 404));
      return;
    }
    const wait = Math.round(delayMs * (0.8 + Math.random() * 0.4));
    delayMs = Math.min(delayMs * 2, maxDelayMs);
    options.onReconnecting?.(wait);
    retryTimer = setTimeout(connect, wait);
  };

  const connect = () => {
    // What went wrong with this attempt, learnt in `fetch` before eventsource reports an error.
    let refused: Promise<ApiError> | undefined;
    let networkError: unknown;
    let over = false;
    const giveUp = () => {
      if (over) return false;
      over = true;
      attempt.close();
      return !closed;
    };
    // Any bytes (events or `: ping`) prove the stream alive; silence past the limit drops it.
    const alive = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => giveUp() && retry(), idleTimeoutMs);
    };
    const attempt: EventSource = new EventSource(client.eventsUrl(code), {
      fetch: async (url, init): Promise<FetchLikeResponse> => {
        const headers: Record<string, string> = { ...init.headers, ...client.authorization() };
        // eventsource tracks ids per instance; each attempt is a new instance, so we send ours.
        if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
        let response: Response;
        try {
          response = await fetch(url, { ...init, headers } as RequestInit);
        } catch (error) {
          networkError = error;
          throw error;
        }
        if (response.status !== 200 || !response.body) {
          refused = client.errorFrom(response.clone());
          return response;
        }
        alive();
        const body = response.body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              alive();
              controller.enqueue(chunk);
            },
          }),
        );
        const { url: responseUrl, status, redirected, headers: responseHeaders } = response;
        return { body, url: responseUrl, status, redirected, headers: responseHeaders };
      },
    });
    source = attempt;

    attempt.addEventListener('open', () => {
      if (connectedOnce) options.onReconnected?.();
      connectedOnce = true;
      delayMs = initialDelayMs;
    });

    for (const name of eventNames) {
      attempt.addEventListener(name, (message) => {
        if (closed || over) return;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return; // Not an event of this API; skip it rather than stop listening.
        }
        if (name === 'message') {
          const id = message.lastEventId;
          if (seen.has(id)) return;
          seen.add(id);
          lastEventId = id;
          options.onEvent({ event: 'message', id, data } as StreamEvent);
          return;
        }
        if (name === 'ready') expiresAt = Date.parse((data as { expiresAt?: string }).expiresAt ?? '') || expiresAt;
        options.onEvent({ event: name, data } as StreamEvent);
        if (name === 'session-ended') {
          stop();
          resolveEnded(data as { reason: 'ended' | 'expired' });
        }
      });
    }

    attempt.addEventListener('error', () => {
      if (!giveUp()) return;
      void (async () => {
        if (refused) {
          const error = await refused;
          // A store that is briefly away (503) or a rate limit is worth waiting for; the rest is final.
          const transient = error.status >= 500 || error.status === 429;
          if (!transient || !connectedOnce) {
            if (connectedOnce && error.status === 404) {
              fail(new ApiError(error.code, 'The session ended or expired while the stream was disconnected.', 404));
            } else fail(error);
            return;
          }
        } else if (!connectedOnce && networkError !== undefined) {
          fail(client.unreachable(networkError));
          return;
        }
        retry();
      })().catch((error: unknown) => fail(error instanceof Error ? error : new CliError(String(error), exitCodes.failure)));
    });
  };

  connect();
  return { ended, close: stop };
}
