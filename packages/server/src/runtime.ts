import type { StreamEvent } from '@warmshower/core';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { httpErrors } from './errors.js';
import { frameOf, pingFrame, streamHeaders } from './frames.js';

/**
 * Where the app meets the runtime that serves it. `createApp` works on any runtime Hono runs on
 * with the generic one below; the Node entry (`@warmshower/server/node`) passes its own, which
 * reads bodies and writes event streams straight on Node's sockets.
 */
export interface Runtime {
  /** A request header by its lower-case name. */
  header(c: Context, name: string): string | undefined;
  /** The address of the request's peer (its socket's), when the runtime tells it. */
  remoteAddress(c: Context): string | undefined;
  /** The request body as text, at most `limit` bytes (PAYLOAD_TOO_LARGE beyond). */
  readBody(c: Context, limit: number): Promise<string>;
  /** A writer for this request's event stream. */
  eventStream(c: Context): EventSink;
}

/** An event stream being answered: events queue until `start`, then flow in order. */
export interface EventSink {
  push(event: StreamEvent): void;
  /** A heartbeat comment, unless something is waiting to be written. */
  ping(): void;
  /** Answers the request; `onClose` runs once when the stream is over, however it ends. */
  start(onClose: () => void): Response | Promise<Response>;
  /** Ends the stream from our side (shutdown). */
  close(): Promise<void>;
}

/**
 * The peer's address where the runtime hands it to `fetch` as Hono's env, read without importing
 * any runtime: Node's socket under @hono/node-server, Bun's `server.requestIP()` and Deno's
 * `Deno.serve` info (what hono/bun's and hono/deno's `getConnInfo` read). Elsewhere undefined: pass
 * `createApp({ clientAddress })`.
 */
const peerAddress = (c: Context): string | undefined => {
  const env = c.env as Record<string, any> | undefined;
  if (!env || typeof env !== 'object') return undefined;
  const node = env.incoming?.socket?.remoteAddress;
  if (typeof node === 'string') return node;
  const bun = bunServer(c);
  if (bun) {
    try {
      const address = bun.requestIP(c.req.raw)?.address;
      if (typeof address === 'string') return address;
    } catch {
      // Not Bun's server after all.
    }
  }
  const deno = env.remoteAddr?.hostname;
  return typeof deno === 'string' ? deno : undefined;
};

/** What the app uses of Bun's server. */
interface BunServer {
  requestIP(request: Request): { address?: unknown } | null;
  timeout?(request: Request, seconds: number): void;
}

/** Bun's server, which Bun passes to `fetch` (so Hono's env), or a wrapper as `env.server`. */
const bunServer = (c: Context): BunServer | undefined => {
  const env = c.env as Record<string, any> | undefined;
  if (!env || typeof env !== 'object') return undefined;
  const server = 'server' in env ? env.server : env;
  return typeof server?.requestIP === 'function' ? server : undefined;
};

/** Any runtime: hono/body-limit for bodies, hono/streaming for event streams. */
export const genericRuntime: Runtime = {
  header: (c, name) => c.req.header(name),
  remoteAddress: peerAddress,
  async readBody(c, limit) {
    let text = '';
    const limiter = bodyLimit({
      maxSize: limit,
      onError: () => {
        throw httpErrors.payloadTooLarge();
      },
    });
    await limiter(c, async () => {
      text = await c.req.text();
    });
    return text;
  },
  eventStream: (c) => new WebEventSink(c),
};

/** An event stream over hono/streaming's `streamSSE`: one writer loop, so writes never overlap. */
class WebEventSink implements EventSink {
  private chunks: string[] = [];
  private wake: (() => void) | undefined;
  private stopped = false;
  /** `session-ended` was queued: the stream closes once it is written. */
  private ending = false;
  private sse: SSEStreamingApi | undefined;

  constructor(private readonly c: Context) {}

  push(event: StreamEvent): void {
    if (this.stopped) return;
    this.chunks.push(frameOf(event));
    if (event.event === 'session-ended') this.ending = true;
    this.nudge();
  }

  ping(): void {
    if (this.stopped || this.chunks.length > 0) return;
    this.chunks.push(pingFrame);
    this.nudge();
  }

  start(onClose: () => void): Response {
    // Bun closes a connection after `idleTimeout` seconds without a byte (10 by default), sooner than
    // our 15 s heartbeat, so quiet streams dropped and reconnected: none for a stream, whose pings
    // find a client that went away.
    try {
      bunServer(this.c)?.timeout?.(this.c.req.raw, 0);
    } catch {
      // Not Bun's server after all.
    }
    const response = streamSSE(this.c, async (stream) => {
      this.sse = stream;
      stream.onAbort(() => this.stop());
      try {
        await this.run(stream);
      } finally {
        this.stop();
        onClose();
      }
    });
    // streamSSE sets its own Cache-Control (no-cache); ours say no-store, as every API reply does.
    for (const [name, value] of Object.entries(streamHeaders)) response.headers.set(name, value);
    return response;
  }

  async close(): Promise<void> {
    this.stop();
    this.sse?.abort(); // also unblocks a write to a client that stopped reading
  }

  /** Writes until the session ends, the client goes, or `close()`; `write` swallows errors, so check `aborted`. */
  private async run(stream: SSEStreamingApi): Promise<void> {
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
  }

  private stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.nudge();
  }

  private nudge(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
