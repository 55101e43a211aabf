import { goneReason, type EndReason, type StreamEvent } from '@warmshower/core/protocol';
import { errorFromReply, serverName, unexpectedReply, unreachable, WarmshowerClientError, whyUnreachable } from './errors.js';
import { readEvents } from './sse.js';
import type { EventStream, StreamEnd, StreamOptions, StreamStatus, StreamStatusDetail, StreamTransport } from './types.js';

/** After a session's `expiresAt`, the server ends it within 2 s (SPEC §3); past this, it is gone. */
const EXPIRY_GRACE_MS = 5_000;

/** What one connection attempt came to. */
type Outcome =
  | { kind: 'over' }
  | { kind: 'retry'; error: WarmshowerClientError; minDelayMs?: number }
  | { kind: 'fail'; error: Error }
  | { kind: 'gone' };

/** Opens a stream (see `WarmshowerClient.stream`). */
export function openEventStream(transport: StreamTransport, options: StreamOptions): EventStream {
  return new LiveStream(transport, options);
}

class LiveStream implements EventStream {
  readonly ended: Promise<StreamEnd>;
  lastEventId: string | null;
  status: StreamStatus = 'connecting';
  private resolveEnded!: (end: StreamEnd) => void;
  private rejectEnded!: (error: Error) => void;
  private over = false;
  private attempt = 0;
  /** A connection was accepted at least once: a 404 now means the session is gone, not a wrong code. */
  private connected = false;
  private delayMs: number;
  /** From `ready`, `expiring` and `expiry-changed`. */
  private expiresAt = Number.POSITIVE_INFINITY;
  private readonly delivered = new Set<string>();
  private current: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly transport: StreamTransport,
    private readonly options: StreamOptions,
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.delayMs = this.initialDelayMs;
    this.lastEventId = options.lastEventId ?? null;
    this.ended = new Promise<StreamEnd>((resolve, reject) => {
      this.resolveEnded = resolve;
      this.rejectEnded = reject;
    });
    // Callers may follow onStatus only; a failure must not also crash a Node process.
    this.ended.catch(() => undefined);
    // Started on a microtask, so that callbacks never run before `stream()` has returned the handle.
    queueMicrotask(() => {
      if (this.over) return;
      const signal = options.signal;
      if (signal?.aborted) return this.close();
      signal?.addEventListener('abort', this.close, { once: true });
      void this.run();
    });
  }

  close = (): void => this.finish({ reason: 'closed' });

  private async run(): Promise<void> {
    while (!this.over) {
      if (Date.now() > this.expiresAt + EXPIRY_GRACE_MS) return this.vanished();
      this.attempt++;
      if (this.attempt === 1) this.report('connecting', {});
      const outcome = await this.connect();
      if (this.over || outcome.kind === 'over') return;
      if (outcome.kind === 'fail') return this.fail(outcome.error);
      if (outcome.kind === 'gone') return this.vanished();
      const jittered = Math.round(this.delayMs * (0.8 + Math.random() * 0.4));
      const delayMs = Math.max(jittered, outcome.minDelayMs ?? 0);
      this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
      this.report('reconnecting', { delayMs, error: outcome.error });
      if (!this.over) await this.sleep(delayMs);
    }
  }

  /** One connection, from the request to the end of its body. Never throws. */
  private async connect(): Promise<Outcome> {
    const { base, url, fetch, timeoutMs } = this.transport;
    const controller = new AbortController();
    this.current = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let silent: 'reply' | 'idle' | undefined;
    const watch = (ms: number, what: 'reply' | 'idle') => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        silent = what;
        controller.abort();
      }, ms);
    };
    const headers: Record<string, string> = { ...this.transport.headers, accept: 'text/event-stream' };
    if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
    try {
      watch(timeoutMs, 'reply');
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: controller.signal, credentials: 'same-origin' });
      } catch (error) {
        if (this.over) return { kind: 'over' };
        const failure = unreachable(base, silent === 'reply' ? { name: 'TimeoutError' } : error, timeoutMs);
        return this.connected || !this.options.failFast ? { kind: 'retry', error: failure } : { kind: 'fail', error: failure };
      }
      const isEventStream = /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '');
      if (response.status !== 200 || !isEventStream || !response.body) {
        const text = await response.text().catch(() => '');
        if (this.over) return { kind: 'over' };
        return this.refused(response, text);
      }
      this.connected = true;
      this.report('open', {});
      watch(this.idleTimeoutMs, 'idle');
      // Any bytes, events or `: ping`, prove the connection alive.
      const ending = await readEvents(response.body, () => watch(this.idleTimeoutMs, 'idle'), (event) => this.deliver(event));
      if (this.over) return { kind: 'over' };
      if (ending.kind === 'stopped') return { kind: 'over' };
      const name = serverName(base);
      if (ending.kind === 'done') {
        return { kind: 'retry', error: new WarmshowerClientError('NETWORK', `The server at ${name} closed the stream.`) };
      }
      if (silent === 'idle') {
        const sentence = `The stream from ${name} was silent for ${Math.round(this.idleTimeoutMs / 100) / 10} s, longer than the server's pings allow.`;
        return { kind: 'retry', error: new WarmshowerClientError('NETWORK', sentence) };
      }
      return { kind: 'retry', error: dropped(base, ending.error, timeoutMs) };
    } finally {
      clearTimeout(timer);
      controller.abort();
      if (this.current === controller) this.current = undefined;
    }
  }

  /** A reply that is not an open stream: retry what may pass, fail what will not. */
  private refused(response: Response, text: string): Outcome {
    const { base } = this.transport;
    const status = response.status;
    if (status === 200) {
      const error = unexpectedReply(base, response, 'which is not an event stream');
      return this.connected ? { kind: 'retry', error } : { kind: 'fail', error };
    }
    const error = errorFromReply(base, response, text);
    if (status === 404 && this.connected) return { kind: 'gone' };
    if (status === 429 || status >= 500) {
      if (this.options.failFast && !this.connected) return { kind: 'fail', error };
      return { kind: 'retry', error, minDelayMs: (error.retryAfterSeconds ?? 0) * 1000 };
    }
    // 401 and 403 (the token is not, or no longer, good here), a first 404, and any other 4xx.
    return { kind: 'fail', error };
  }

  /** Hands one event to the caller; true when it ends the stream. */
  private deliver(event: StreamEvent): boolean {
    if (this.over) return true;
    if (event.event === 'message') {
      if (this.delivered.has(event.id)) return false; // a safeguard: the server replays after Last-Event-ID
      this.delivered.add(event.id);
      this.lastEventId = event.id;
    }
    if (event.event === 'ready') this.delayMs = this.initialDelayMs;
    if (event.event === 'ready' || event.event === 'expiring' || event.event === 'expiry-changed') {
      const at = Date.parse(event.data.expiresAt);
      if (!Number.isNaN(at)) this.expiresAt = at;
    }
    if (!this.emit(event)) return true;
    if (event.event === 'session-ended') {
      this.finish({ reason: typeof event.data.reason === 'string' ? event.data.reason : 'ended' });
      return true;
    }
    return false;
  }

  /** The session is no longer on the server: one ending for callers, as if the server had said so. */
  private vanished(): void {
    const reason: EndReason = goneReason(this.expiresAt, Date.now());
    if (this.emit({ event: 'session-ended', data: { reason } })) this.finish({ reason });
  }

  /** Calls onEvent; an exception from it ends the stream (rejecting `ended` with it). */
  private emit(event: StreamEvent): boolean {
    try {
      this.options.onEvent(event);
      return true;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  private report(status: StreamStatus, detail: Omit<StreamStatusDetail, 'attempt'>): void {
    this.status = status;
    try {
      this.options.onStatus?.(status, { attempt: this.attempt, ...detail });
    } catch (error) {
      if (status !== 'ended' && status !== 'failed') this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private finish(end: StreamEnd): void {
    if (!this.stop()) return;
    this.resolveEnded(end);
    this.report('ended', { reason: end.reason });
  }

  private fail(error: Error): void {
    if (!this.stop()) return;
    this.rejectEnded(error);
    this.report('failed', { error });
  }

  /** Stops everything once; false when it was already stopped. */
  private stop(): boolean {
    if (this.over) return false;
    this.over = true;
    this.options.signal?.removeEventListener('abort', this.close);
    this.current?.abort();
    this.wake?.();
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }
}

/** `NETWORK` for a connection that broke while open. */
function dropped(base: URL, error: unknown, timeoutMs: number): WarmshowerClientError {
  const why = whyUnreachable(error, timeoutMs);
  return new WarmshowerClientError('NETWORK', `The stream from ${serverName(base)} dropped: ${why}.`, { cause: error });
}
