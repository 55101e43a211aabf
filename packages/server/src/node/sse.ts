import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '@warmshower/core';
import type { Context } from 'hono';
import { frameOf, pingFrame, streamHeaders } from '../frames.js';
import { uncachedReply } from '../guards.js';
import type { EventSink } from '../runtime.js';

/** Bytes a client that stopped reading may leave waiting before we give up on it. */
const MAX_BACKLOG = 1 << 20;

/** The Node response under @hono/node-server, if that is what serves this request. */
export const nodeOutgoing = (c: Context): ServerResponse | undefined => {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing && typeof outgoing.writeHead === 'function' && !outgoing.headersSent ? outgoing : undefined;
};

/**
 * An event stream written straight on Node's response: frames as strings, no web streams in
 * between. Frames written while the socket is full wait (in one string) for `drain`; a client
 * that leaves more than a megabyte unread is disconnected. Socket errors end the stream.
 */
export class NodeEventSink implements EventSink {
  private backlog = '';
  private started = false;
  private blocked = false;
  private ending = false;
  private over = false;
  private readonly closed: Promise<void>;
  private onClose: () => void = () => undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.closed = new Promise((resolve) => res.once('close', resolve));
  }

  push(event: StreamEvent): void {
    if (this.over || this.ending) return;
    this.write(frameOf(event));
    if (event.event === 'session-ended') {
      this.ending = true;
      if (this.started && !this.blocked) this.res.end();
    }
  }

  ping(): void {
    if (this.started && !this.blocked && !this.over && !this.ending) this.res.write(pingFrame);
  }

  start(onClose: () => void): Response {
    this.onClose = onClose;
    const { res } = this;
    res.on('error', (error) => {
      this.onError(error);
      this.finish();
    });
    res.once('close', () => this.finish());
    releaseRequest(res);
    res.writeHead(200, { ...streamHeaders, Connection: 'keep-alive' });
    this.started = true;
    this.flush();
    // Tells @hono/node-server that the response is written already (with these headers).
    return uncachedReply(new Response(null, { headers: { ...streamHeaders, 'x-hono-already-sent': 'true' } }));
  }

  async close(): Promise<void> {
    if (!this.over) this.res.end();
    if (!this.started) this.finish();
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    // A client that does not read holds `end()` open: cut it.
    if (!this.res.destroyed && !this.res.writableFinished) this.res.destroy();
  }

  private write(frame: string): void {
    if (!this.started || this.blocked) {
      this.backlog += frame;
      if (this.backlog.length > MAX_BACKLOG) this.res.destroy();
      return;
    }
    if (!this.res.write(frame)) this.waitForDrain();
  }

  private flush(): void {
    this.blocked = false;
    const text = this.backlog;
    this.backlog = '';
    if (text && !this.res.write(text)) {
      this.waitForDrain();
      return;
    }
    if (this.ending) this.res.end();
  }

  private waitForDrain(): void {
    this.blocked = true;
    this.res.once('drain', () => this.flush());
  }

  private finish(): void {
    if (this.over) return;
    this.over = true;
    this.backlog = '';
    this.onClose();
  }
}

/**
 * An event stream's request (a GET) has no body: read to its end and let go at once, it costs
 * nothing when its client leaves. Left pending, Node's server turns each leaving client into an
 * `aborted` error whose stack trace it formats: with 3,000 streams closing at once, some 100 ms
 * of blocked event loop.
 */
function releaseRequest(res: ServerResponse): void {
  const { req } = res;
  if (!req || !req.complete || req.destroyed) return;
  req.once('end', () => req.destroy());
  req.resume();
}
