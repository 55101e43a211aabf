// The stream's retry and ending rules against a scripted server: each connection attempt gets the
// next reply of a list (a finite event stream ends, as a dropped connection would).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { WarmshowerClient } from '@warmshower/client';
import { eventually } from '../../../test-support/eventually.js';
import { recorder, serveApp } from './helpers.js';

const code = '123456';
const expiresAt = new Date(Date.now() + 3600_000).toISOString();
const ready = `event: ready\ndata: ${JSON.stringify({
  you: { id: 'p-1' },
  participants: [],
  sentTo: [],
  complete: false,
  expiresAt,
  delivery: 'live',
  revealed: false,
  encryption: 'none',
})}\n\n`;
const message = (id: string, text: string) =>
  `event: message\nid: ${id}\ndata: ${JSON.stringify({ id, text, receivedAt: '2026-01-01T00:00:00.000Z' })}\n\n`;
const events = (...frames: string[]) =>
  new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } });
const refusal = (status: number, errorCode: string, headers: Record<string, string> = {}) =>
  Response.json({ error: { code: errorCode, message: `Refused with ${status}.` } }, { status, headers });

/** A server whose n-th stream request gets `replies[n]` (the last one again once they run out). */
async function scripted(replies: (() => Response)[]) {
  const requests: { lastEventId: string | null; at: number }[] = [];
  const app = new Hono();
  app.get('/api/sessions/:code/events', (c) => {
    requests.push({ lastEventId: c.req.header('last-event-id') ?? null, at: Date.now() });
    return replies[Math.min(requests.length, replies.length) - 1]!();
  });
  const server = await serveApp(app);
  return { requests, client: new WarmshowerClient({ baseUrl: server.url, token: 't' }) };
}

describe('reconnection rules', () => {
  it('a message id already delivered is not delivered again, and unknown events or bad data are skipped', async () => {
    const { client, requests } = await scripted([
      () => events(ready, message('m-1', 'One.'), 'event: from-the-future\ndata: {}\n\n', 'event: presence\ndata: not json\n\n'),
      // A server that replays too much: m-1 again after Last-Event-ID m-1.
      () => events(ready, message('m-1', 'One.'), message('m-2', 'Two.'), ': ping\n\n', 'event: session-ended\ndata: {"reason":"ended"}\n\n'),
    ]);
    const seen = recorder();
    const stream = client.stream(code, seen.options);
    await expect(stream.ended).resolves.toEqual({ reason: 'ended' });
    expect(seen.names()).toEqual(['ready', 'message', 'ready', 'message', 'session-ended']);
    expect(seen.messages().map((m) => m.id)).toEqual(['m-1', 'm-2']);
    expect(requests.map((r) => r.lastEventId)).toEqual([null, 'm-1']);
    const drop = seen.statuses.find((s) => s.status === 'reconnecting')!;
    expect(drop.detail.error!.message).toBe(`The server at ${client.baseUrl.replace(/\/$/, '')} closed the stream.`);
  });

  it('429 is retried no sooner than its Retry-After', async () => {
    const { client, requests } = await scripted([
      () => refusal(429, 'TOO_MANY_STREAMS', { 'retry-after': '1' }),
      () => events(ready, 'event: session-ended\ndata: {"reason":"expired"}\n\n'),
    ]);
    const seen = recorder({ initialDelayMs: 10 });
    await expect(client.stream(code, seen.options).ended).resolves.toEqual({ reason: 'expired' });
    const wait = seen.statuses.find((s) => s.status === 'reconnecting')!;
    expect(wait.detail.delayMs).toBe(1000);
    expect(wait.detail.error).toMatchObject({ code: 'TOO_MANY_STREAMS', status: 429, retryAfterSeconds: 1 });
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('5xx is retried, also on the first attempt; with failFast the first one rejects', async () => {
    const { client } = await scripted([
      () => refusal(503, 'STORE_UNAVAILABLE'),
      () => new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
      () => events(ready, 'event: session-ended\ndata: {"reason":"ended"}\n\n'),
    ]);
    const seen = recorder();
    await expect(client.stream(code, seen.options).ended).resolves.toEqual({ reason: 'ended' });
    expect(seen.statuses.filter((s) => s.status === 'reconnecting').map((s) => s.detail.error)).toMatchObject([
      { code: 'STORE_UNAVAILABLE', status: 503 },
      { code: 'UNEXPECTED_REPLY', status: 502 },
    ]);
    const fast = await scripted([() => refusal(503, 'STORE_UNAVAILABLE')]);
    await expect(fast.client.stream(code, { ...recorder().options, failFast: true }).ended).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      status: 503,
    });
  });

  it('401 after having been connected fails: the token is no longer good', async () => {
    const { client } = await scripted([() => events(ready), () => refusal(401, 'UNAUTHORIZED')]);
    const seen = recorder();
    await expect(client.stream(code, seen.options).ended).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(seen.statuses.map((s) => s.status)).toEqual(['connecting', 'open', 'reconnecting', 'failed']);
  });

  it('404 after having been connected, before expiresAt, ends with a made-up session-ended "lost"', async () => {
    const { client } = await scripted([() => events(ready, message('m-1', 'One.')), () => refusal(404, 'SESSION_NOT_FOUND')]);
    const seen = recorder();
    await expect(client.stream(code, seen.options).ended).resolves.toEqual({ reason: 'lost' });
    expect(seen.names()).toEqual(['ready', 'message', 'session-ended']);
  });

  it('a first reply that is not an event stream rejects with UNEXPECTED_REPLY', async () => {
    const { client } = await scripted([() => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })]);
    await expect(client.stream(code, recorder().options).ended).rejects.toMatchObject({ code: 'UNEXPECTED_REPLY', status: 200 });
  });

  it('an exception thrown by onEvent stops the stream and rejects `ended` with it', async () => {
    const { client, requests } = await scripted([() => events(ready, message('m-1', 'One.'))]);
    const bug = new Error('the page could not render it');
    const seen = recorder();
    const stream = client.stream(code, {
      ...seen.options,
      onEvent: (event) => {
        if (event.event === 'message') throw bug;
      },
    });
    await expect(stream.ended).rejects.toBe(bug);
    expect(seen.statuses.at(-1)).toEqual({ status: 'failed', detail: { attempt: 1, error: bug } });
    await eventually(() => expect(requests).toHaveLength(1));
  });

  it('backoff grows to maxDelayMs and resets after a ready', async () => {
    let attempt = 0;
    const { client } = await scripted([
      () => {
        attempt++;
        if (attempt <= 4) return refusal(503, 'SERVER_BUSY');
        if (attempt === 5) return events(ready);
        if (attempt === 6) return refusal(503, 'SERVER_BUSY');
        return events(ready, 'event: session-ended\ndata: {"reason":"ended"}\n\n');
      },
    ]);
    const seen = recorder({ initialDelayMs: 10, maxDelayMs: 40 });
    await expect(client.stream(code, seen.options).ended).resolves.toEqual({ reason: 'ended' });
    const delays = seen.statuses.filter((s) => s.status === 'reconnecting').map((s) => s.detail.delayMs!);
    // 10, 20, 40, 40 (capped), then the drop after ready: 10 again, then 20.
    const nominal = [10, 20, 40, 40, 10, 20];
    expect(delays).toHaveLength(nominal.length);
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(Math.floor(nominal[i]! * 0.8));
      expect(d).toBeLessThanOrEqual(Math.ceil(nominal[i]! * 1.2));
    });
  });

  it('callbacks run only after stream() has returned the handle, and an already aborted signal just closes', async () => {
    const { client, requests } = await scripted([() => events(ready, 'event: session-ended\ndata: {"reason":"ended"}\n\n')]);
    const ids: (string | null)[] = [];
    const stream = client.stream(code, {
      lastEventId: 'm-0',
      onEvent: () => ids.push(stream.lastEventId),
      onStatus: () => ids.push(stream.lastEventId),
    });
    await expect(stream.ended).resolves.toEqual({ reason: 'ended' });
    expect(ids.every((id) => id === 'm-0')).toBe(true);
    const seen = recorder({ signal: AbortSignal.abort() });
    await expect(client.stream(code, seen.options).ended).resolves.toEqual({ reason: 'closed' });
    expect(seen.statuses).toEqual([{ status: 'ended', detail: { attempt: 0, reason: 'closed' } }]);
    expect(requests).toHaveLength(1);
  });
});
