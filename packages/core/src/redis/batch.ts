import type { Redis } from 'ioredis';

/** Sockets corked for the current turn of the event loop. */
const corked = new WeakSet<object>();

/**
 * Lets the commands a plain Redis connection is given in this turn of the event loop leave in one
 * socket write: the socket is corked before the first and uncorked once the turn's I/O callbacks
 * have run (`setImmediate`, when ioredis's auto-pipelining would flush too). ioredis writes each
 * command at once; Node then sends them together in one `writev`. Auto-pipelining batched the
 * same way but built a pipeline, its promises and per-command callbacks around every batch, and
 * kept each send's objects alive through a garbage collection or two: under a steady load the
 * young-generation pauses, the tail of the delivery latency, were twice as long.
 */
export function batchWrites(connection: Redis): void {
  const socket = connection.stream as (NodeJS.WritableStream & { cork(): void; uncork(): void; destroyed?: boolean }) | undefined;
  if (!socket || corked.has(socket) || socket.destroyed || typeof socket.cork !== 'function') return;
  corked.add(socket);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
