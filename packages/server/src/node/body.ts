import type { Context } from 'hono';
import { httpErrors } from '../errors.js';

type NodeIncoming = AsyncIterable<Buffer> & {
  headers: Record<string, string | string[] | undefined>;
  readableDidRead?: boolean;
  listenerCount(event: string): number;
};

/** The untouched Node request under @hono/node-server, if that is what serves this request. */
export function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  if (!incoming || typeof incoming[Symbol.asyncIterator] !== 'function') return undefined;
  return incoming.readableDidRead || incoming.listenerCount('data') > 0 ? undefined : incoming;
}

/**
 * Reads a request body straight from Node's socket, at most `limit` bytes: having
 * @hono/node-server build a web Request for it costs about a sixth of the server's time per send.
 * Elsewhere (`app.request()`, another runtime) it falls back to `fallback`.
 */
export async function readNodeBody(c: Context, limit: number, fallback: (c: Context, limit: number) => Promise<string>): Promise<string> {
  const incoming = nodeIncoming(c);
  if (!incoming) return fallback(c, limit);
  if (Number(incoming.headers['content-length']) > limit) throw httpErrors.payloadTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming) {
      size += chunk.length;
      if (size > limit) throw httpErrors.payloadTooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'WarmshowerError') throw error;
    throw httpErrors.unreadable(); // the client went away mid-body
  }
  return Buffer.concat(chunks).toString('utf8');
}
