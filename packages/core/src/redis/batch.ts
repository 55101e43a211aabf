import type { Redis } from 'ioredis';

/** Sockets corked for the current turn of the event loop, and how many commands each holds. */
const corked = new WeakMap<object, number>();

/**
 * The most commands a corked socket holds before they leave: Redis starts on the first ones (on
 * the other core) while this process still parses the rest of the turn's requests. One write for
 * a whole turn made every send wait for the turn's last request and then for the scripts of all
 * of them: at the bench's full load (64 sends in flight) the machine sat ~20% idle. Measured
 * 2026-12-02 on the Xeon VM, `pnpm bench` paired over 5 cycles: 0.45 → 0.50 of the baseline's
 * sends per second with 8 (every cycle ahead), 0.44 → 0.48 with 4; the machine 79–83% → 86–93% busy.
 */
const mostPerWrite = 8;

/**
 * Lets the commands a plain Redis connection is given in this turn of the event loop leave in few
 * socket writes: the socket is corked before the first, uncorked after every `mostPerWrite`, and
 * uncorked once the turn's I/O callbacks have run (`setImmediate`, when ioredis's auto-pipelining
 * would flush too). ioredis writes each command at once; Node then sends those corked together in
 * one `writev`. Auto-pipelining batched the same way but built a pipeline, its promises and
 * per-command callbacks around every batch, and kept each send's objects alive through a garbage
 * collection or two: under a steady load the young-generation pauses, the tail of the delivery
 * latency, were twice as long.
 */
export function batchWrites(connection: Redis): void {
  const socket = connection.stream as (NodeJS.WritableStream & { cork(): void; uncork(): void; destroyed?: boolean }) | undefined;
  if (!socket || socket.destroyed || typeof socket.cork !== 'function') return;
  const held = corked.get(socket);
  if (held !== undefined) {
    if (held + 1 < mostPerWrite) {
      corked.set(socket, held + 1);
      return;
    }
    socket.uncork(); // the commands so far leave now; the socket stays corked for the turn's rest
    socket.cork();
    corked.set(socket, 0);
    return;
  }
  corked.set(socket, 0);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
