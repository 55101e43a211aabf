import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { MemoryStore, Warmshower, type Clock } from '@warmshower/core';
import { createApp, type AppOptions } from '@warmshower/server';
import { afterEach } from 'vitest';
import { WarmshowerClient, type StreamEvent, type StreamOptions, type StreamStatus, type StreamStatusDetail } from '@warmshower/client';

/** Anything with a fetch handler: a Warm Shower app, or a Hono app a test makes up. */
interface Fetchable {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
  closeStreams?(): Promise<void>;
}

export interface Served {
  url: string;
  port: number;
  /** Destroys every open socket (streams included) while the app and its sessions live on. */
  dropConnections(): void;
  close(): Promise<void>;
}

const running = new Set<Served>();
afterEach(async () => {
  await Promise.all([...running].map((s) => s.close()));
});

/** Serves an app over real HTTP on 127.0.0.1 (a free port unless one is given); closed after each test. */
export async function serveApp(app: Fetchable, port = 0): Promise<Served> {
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const node = server as ServerType & { closeAllConnections(): void };
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const served: Served = {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    dropConnections: () => node.closeAllConnections(),
    close: () =>
      (closing ??= (async () => {
        running.delete(served);
        await app.closeStreams?.();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          node.closeAllConnections();
        });
      })()),
  };
  running.add(served);
  return served;
}

/** A Warm Shower app over its own MemoryStore, without logs or rate limits unless asked. */
export function memoryApp(options: AppOptions & { clock?: Clock } = {}) {
  const { clock, ...rest } = options;
  const store = new MemoryStore(clock ? { clock } : {});
  const warmshower = new Warmshower(clock ? { store, clock } : { store });
  return createApp({ warmshower, logger: false, rateLimits: false, ...rest });
}

/** A served app with a session, its host and three people, and clients for each of them. */
export async function team(options: Parameters<typeof memoryApp>[0] = {}) {
  const app = memoryApp(options);
  const server = await serveApp(app);
  const anyone = new WarmshowerClient({ baseUrl: server.url });
  const session = await anyone.createSession({ ttlSeconds: 600 });
  const host = anyone.withToken(session.hostToken);
  const [ada, bo, cy] = await Promise.all(['Ada', 'Bo', 'Cy'].map((displayName) => anyone.join(session.code, { displayName })));
  return {
    app,
    server,
    session,
    code: session.code,
    anyone,
    host,
    people: { ada: ada!, bo: bo!, cy: cy! },
    as: (token: string) => anyone.withToken(token),
  };
}

/** A port nobody listens on (one that was free a moment ago). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Everything a stream reported, for assertions, and the options that record it. */
export function recorder(extra: Partial<StreamOptions> = {}) {
  const events: StreamEvent[] = [];
  const statuses: { status: StreamStatus; detail: StreamStatusDetail }[] = [];
  const options: StreamOptions = {
    initialDelayMs: 20,
    maxDelayMs: 200,
    ...extra,
    onEvent: (event) => {
      events.push(event);
      extra.onEvent?.(event);
    },
    onStatus: (status, detail) => {
      statuses.push({ status, detail });
      extra.onStatus?.(status, detail);
    },
  };
  return {
    options,
    events,
    statuses,
    names: () => events.map((e) => e.event),
    messages: () => events.flatMap((e) => (e.event === 'message' ? [e] : [])),
    count: (name: StreamEvent['event']) => events.filter((e) => e.event === name).length,
    saw: (status: StreamStatus) => statuses.some((s) => s.status === status),
  };
}
