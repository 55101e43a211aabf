import { WarmshowerError } from '@warmshower/core';
import { limits } from '@warmshower/core/protocol';

/** One open event stream as the hub knows it. */
export interface HubStream {
  /** Writes a heartbeat comment unless something is waiting to be written anyway. */
  ping(): void;
  /** Ends the stream (shutdown): the client sees the connection close. */
  close(): Promise<void>;
}

export interface StreamHubOptions {
  /** Milliseconds between `: ping` comments on idle streams. Default 15000. */
  heartbeatMs?: number;
  /** Streams this process holds at most (rule 8). Default 10,000. */
  maxStreams?: number;
}

/** About how often the heartbeat timer ticks: each tick pings one slice of the streams. */
const TICK_MS = 100;

/**
 * Every open event stream of an app: one heartbeat timer for all of them (not one each), the
 * process-wide bound of rule 8, and the shutdown that ends them all.
 *
 * Streams are dealt into slices, one pinged per tick, so that each gets its ping every
 * `heartbeatMs` but never all at once: 10,000 writes in one turn of the event loop held every
 * request and delivery of the process back for ~200 ms (and woke every client at once).
 */
export class StreamHub {
  readonly maxStreams: number;
  private readonly heartbeatMs: number;
  /** Each open stream, and the slice it is pinged with. */
  private readonly streams = new Map<HubStream, Set<HubStream>>();
  private readonly slices: Set<HubStream>[];
  private nextSlice = 0;
  private tick = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly releases: (() => Promise<void>)[] = [];
  private releasing = false;

  constructor(options: StreamHubOptions = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxStreams = options.maxStreams ?? limits.defaultMaxStreams;
    if (!Number.isInteger(this.maxStreams) || this.maxStreams < 1) {
      throw new RangeError(`maxStreams must be a whole number of at least 1; got ${this.maxStreams}.`);
    }
    this.slices = Array.from({ length: Math.max(1, Math.round(this.heartbeatMs / TICK_MS)) }, () => new Set<HubStream>());
  }

  /** Streams open right now. */
  get size(): number {
    return this.streams.size;
  }

  /** Refuses a new stream when the process holds its most (503, with a wait). */
  admit(): void {
    if (this.streams.size >= this.maxStreams) {
      throw new WarmshowerError(
        'SERVER_BUSY',
        `This server holds as many live connections as it can (${this.maxStreams}); try again in a moment.`,
        { retryAfterSeconds: 5 },
      );
    }
  }

  add(stream: HubStream): void {
    const slice = this.slices[this.nextSlice++ % this.slices.length]!;
    slice.add(stream);
    this.streams.set(stream, slice);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const open of this.slices[this.tick++ % this.slices.length]!) open.ping();
      }, this.heartbeatMs / this.slices.length);
      this.heartbeat.unref?.();
    }
  }

  remove(stream: HubStream): void {
    this.streams.get(stream)?.delete(stream);
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /**
   * Runs what a closed stream leaves to do (its core connection's bookkeeping) soon, a hundred at
   * a time between turns of the event loop: when thousands of clients leave at once, requests of
   * others are served in between instead of after all of them.
   */
  release(work: () => Promise<void>): void {
    this.releases.push(work);
    if (this.releasing) return;
    this.releasing = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    for (const work of this.releases.splice(0, 100)) void work().catch(() => undefined);
    if (this.releases.length > 0) setImmediate(() => this.drain());
    else this.releasing = false;
  }

  /** Ends every open stream (a graceful shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.streams.keys()].map((stream) => stream.close()));
  }
}
