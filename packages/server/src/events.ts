import type { Connection, StreamEvent } from '@warmshower/core';
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

/** One SSE frame: `event:`, `id:` for messages, JSON `data:` (JSON.stringify never emits a line break). */
export const frame = (e: StreamEvent): string =>
  `event: ${e.event}\n${e.event === 'message' ? `id: ${e.id}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`;

const ping = ': ping\n\n';

/**
 * The bytes waiting for one open stream. Core's listener pushes frames here synchronously; one
 * writer loop drains them in order, so writes never overlap and heartbeats never pile up.
 */
export class EventPipe {
  private chunks: string[] = [];
  private wake: (() => void) | undefined;
  private stopped = false;
  /** `session-ended` was queued: the stream closes once it is written. */
  private ending = false;

  push = (event: StreamEvent): void => {
    if (this.stopped) return;
    this.chunks.push(frame(event));
    if (event.event === 'session-ended') this.ending = true;
    this.nudge();
  };

  /** Queues a heartbeat unless something is already waiting to be written. */
  ping(): void {
    if (this.stopped || this.chunks.length > 0) return;
    this.chunks.push(ping);
    this.nudge();
  }

  stop(): void {
    this.stopped = true;
    this.nudge();
  }

  /** Writes until the session ends, the client goes, or `stop()`; `stream.write` swallows errors, so check `aborted`. */
  async run(stream: SSEStreamingApi): Promise<void> {
    while (!this.stopped && !stream.aborted && !stream.closed) {
      if (this.chunks.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const text = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
      this.chunks = [];
      const last = this.ending;
      await stream.write(text);
      if (last) break;
    }
    this.stopped = true;
    this.chunks = [];
  }

  private nudge(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** The open streams of an app, each with the function that ends it. */
export type StreamRegistry = Map<EventPipe, () => Promise<void>>;

/**
 * Answers with the event stream of an already opened core connection. Whatever ends it (the
 * session, the client, the server closing) removes the pipe from the registry (and so from the
 * heartbeat) and core's listener, and closes the connection exactly once.
 */
export function sendEventStream(
  c: Context,
  connection: Connection,
  pipe: EventPipe,
  registry: StreamRegistry,
): Response {
  c.header('X-Accel-Buffering', 'no'); // nginx: deliver each event at once
  let sse: SSEStreamingApi | undefined;
  let finished: Promise<void> | undefined;
  const finish = (): Promise<void> =>
    (finished ??= (async () => {
      pipe.stop();
      registry.delete(pipe);
      await connection.close().catch(() => undefined);
    })());
  // Closing from outside (shutdown) also unblocks a write to a client that stopped reading.
  registry.set(pipe, () => {
    pipe.stop();
    sse?.abort();
    return finish();
  });
  return streamSSE(c, async (stream) => {
    sse = stream;
    stream.onAbort(() => void finish());
    try {
      await pipe.run(stream);
    } finally {
      await finish();
    }
  });
}
