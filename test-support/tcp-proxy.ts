// A loopback TCP proxy in front of a server, for cutting one client's connections off (and
// keeping them off) without touching the server or anyone else's connections to it.

import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** `redis://127.0.0.1:P`, for a Redis behind it. */
  url: string;
  /** Whether connections pass (false between `cut` and `restore`). */
  readonly open: boolean;
  /** Drops every connection through the proxy and refuses new ones until `restore`. */
  cut(): void;
  /**
   * Keeps every connection up but lets no byte through (a network that hangs): commands already
   * written stay unanswered until `cut` drops the connections.
   */
  stall(): void;
  /** Lets connections through again. */
  restore(): void;
  close(): Promise<void>;
}

/** Listens on a free loopback port and forwards each connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let open = true;
  const server = createServer((incoming) => {
    if (!open) {
      incoming.destroy();
      return;
    }
    const outgoing = createConnection(target);
    const pair: [Socket, Socket] = [incoming, outgoing];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      incoming.destroy();
      outgoing.destroy();
    };
    for (const socket of pair) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const cutAll = () => {
    for (const [incoming, outgoing] of [...pairs]) {
      incoming.destroy();
      outgoing.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get open() {
      return open;
    },
    cut() {
      open = false;
      cutAll();
    },
    stall() {
      for (const [incoming, outgoing] of pairs) {
        incoming.unpipe(outgoing);
        outgoing.unpipe(incoming);
        incoming.pause();
        outgoing.pause();
      }
    },
    restore() {
      open = true;
    },
    async close() {
      open = false;
      cutAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
