import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { MemoryStore, Warmshower } from '@warmshower/core';
import { ManualClock } from '@warmshower/core/testing';
export { eventually } from '../../../test-support/eventually.js';
import { createApp, genericRuntime, type AppOptions, type Runtime, type WarmshowerApp } from '../src/index.js';

/** An app over a MemoryStore whose time moves only when the test says so. */
export function manualApp(options: AppOptions = {}) {
  const clock = new ManualClock(Date.now());
  const store = new MemoryStore({ clock });
  const warmshower = new Warmshower({ store, clock });
  const app = createApp({ warmshower, logger: false, rateLimits: false, ...options });
  return { app, clock, store, warmshower };
}

/** Serves an app on a free port over real HTTP. */
export async function listen(app: WarmshowerApp): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1' },
      () => resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.closeStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}

/** A runtime whose client address is the `x-test-address` header (for in-process rate-limit tests). */
export const addressFromHeader = (fallback: string): Runtime => ({
  ...genericRuntime,
  remoteAddress: (c) => c.req.header('x-test-address') ?? fallback,
});

/** A small JSON client for one server. */
export function client(base: string, request: (path: string, init: RequestInit) => Promise<Response> | Response = (path, init) => fetch(base + path, init)) {
  const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await request(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
  };
  return {
    call,
    async session(ttlSeconds?: number) {
      const res = await call('POST', '/api/sessions', { body: ttlSeconds === undefined ? {} : { ttlSeconds } });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { code: string; hostToken: string; expiresAt: string };
    },
    async join(code: string, displayName?: string) {
      const res = await call('POST', `/api/sessions/${code}/participants`, { body: { displayName } });
      if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; token: string; displayName: string };
    },
    send: (code: string, token: string, to: string, text: string) =>
      call('POST', `/api/sessions/${code}/messages`, { token, body: { to, text } }),
    end: (code: string, token: string) => call('DELETE', `/api/sessions/${code}`, { token }),
  };
}

export interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

/** Reads an event stream with fetch, keeping every event and the raw bytes. */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let raw = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const done = (async () => {
    if (!res.body || !res.headers.get('content-type')?.includes('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        buffer += text;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event: SseEvent = { event: 'message', data: undefined };
          let isComment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else {
              isComment = false;
              const [field, ...rest] = line.split(': ');
              const value = rest.join(': ');
              if (field === 'event') event.event = value;
              else if (field === 'id') event.id = value;
              else if (field === 'data') event.data = JSON.parse(value);
            }
          }
          if (!isComment) events.push(event);
          notify();
        }
      }
    } catch {
      // aborted by the test
    }
    ended = true;
    notify();
  })();
  const until = (check: () => boolean, what: string, timeoutMs = 5000) =>
    new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; got ${events.map((e) => e.event).join(', ')}`));
      }, timeoutMs);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      };
      waiters.add(waiter);
    });
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    get raw() {
      return raw;
    },
    get ended() {
      return ended;
    },
    /** Resolves with the `n`th event of that name (1-based), waiting for it. */
    async next(name: string, n = 1, timeoutMs?: number): Promise<SseEvent> {
      await until(() => events.filter((e) => e.event === name).length >= n, `${name} #${n}`, timeoutMs);
      return events.filter((e) => e.event === name)[n - 1]!;
    },
    until,
    waitEnd: (timeoutMs?: number) => until(() => ended, 'the end of the stream', timeoutMs),
    json: () => res.json(),
    async close() {
      controller.abort();
      await done;
    },
  };
}
