import { describe, expect, it } from 'vitest';
import { WarmshowerClient, WarmshowerClientError } from '@warmshower/client';
import { eventually } from '../../../test-support/eventually.js';
import { closedPort, memoryApp, recorder, serveApp, team } from './helpers.js';

/** Wraps the global fetch to keep the headers of every stream request. */
function recordingFetch() {
  const requests: Record<string, string>[] = [];
  const fetch = (url: string, init: RequestInit) => {
    requests.push({ ...(init.headers as Record<string, string>) });
    return globalThis.fetch(url, init);
  };
  return { fetch, requests };
}

describe('live events over real HTTP', () => {
  it('a stream starts with ready, then messages arrive live with their SSE id as `id`', async () => {
    const { code, people, as } = await team();
    const seen = recorder();
    const stream = as(people.bo.token).stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBe(1));
    expect(seen.events[0]).toMatchObject({ event: 'ready', data: { you: { id: people.bo.id }, participants: expect.any(Array) } });
    expect(seen.statuses.map((s) => s.status)).toEqual(['connecting', 'open']);
    expect(stream.status).toBe('open');

    const receipt = await as(people.ada.token).send(code, { to: people.bo.id, text: 'Your calm helped us all.' });
    await eventually(() => expect(seen.messages()).toHaveLength(1));
    expect(seen.messages()[0]).toEqual({
      event: 'message',
      id: receipt.id,
      data: { id: receipt.id, text: 'Your calm helped us all.', receivedAt: expect.any(String) },
    });
    expect(stream.lastEventId).toBe(receipt.id);
    stream.close();
    await expect(stream.ended).resolves.toEqual({ reason: 'closed' });
  });

  it('the host’s stream carries progress, and session-ended resolves `ended` with "ended"', async () => {
    const { code, host, people, as } = await team();
    const seen = recorder();
    const stream = host.stream(code, seen.options);
    await eventually(() => expect(seen.count('progress')).toBe(1));
    expect(seen.events[0]).toMatchObject({ event: 'ready', data: { you: { host: true } } });
    await as(people.ada.token).send(code, { to: people.cy.id, text: 'Thanks!' });
    await eventually(() => expect(seen.events.at(-1)).toEqual({ event: 'progress', data: { sent: 1, possible: 6 } }));
    await host.endSession(code);
    await expect(stream.ended).resolves.toEqual({ reason: 'ended' });
    expect(seen.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } });
    expect(seen.statuses.at(-1)).toEqual({ status: 'ended', detail: { attempt: 1, reason: 'ended' } });
    expect(stream.status).toBe('ended');
  });

  it('a dropped connection is reopened with Last-Event-ID, and a message sent meanwhile arrives exactly once', async () => {
    const { app, server, code, people, as, anyone } = await team();
    const { fetch, requests } = recordingFetch();
    const bo = new WarmshowerClient({ baseUrl: server.url, token: people.bo.token, fetch });
    const ada = as(people.ada.token);
    const cy = as(people.cy.token);
    let dropped: () => void = () => undefined;
    const away = new Promise<void>((resolve) => (dropped = resolve));
    // A long first delay, so that the second message is surely sent while the stream is down.
    const seen = recorder({ initialDelayMs: 400, onStatus: (status) => status === 'reconnecting' && dropped() });
    const stream = bo.stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBe(1));
    const first = await ada.send(code, { to: people.bo.id, text: 'Before the drop.' });
    await eventually(() => expect(seen.messages()).toHaveLength(1));

    server.dropConnections();
    await away;
    const reconnecting = seen.statuses.find((s) => s.status === 'reconnecting')!;
    expect(reconnecting.detail.error).toBeInstanceOf(WarmshowerClientError);
    expect(reconnecting.detail.error!.message).toMatch(new RegExp(`^The stream from ${server.url} dropped: `));
    expect(reconnecting.detail.delayMs).toBeGreaterThanOrEqual(320);
    const second = await cy.send(code, { to: people.bo.id, text: 'While you were away.' });

    await eventually(() => expect(seen.messages()).toHaveLength(2));
    await eventually(() => expect(app.stats().openStreams).toBe(1));
    expect(seen.messages().map((m) => m.data.text)).toEqual(['Before the drop.', 'While you were away.']);
    expect(seen.messages().map((m) => m.id)).toEqual([first.id, second.id]);
    expect(seen.count('ready')).toBe(2); // ready opens every connection: callers reset their state on it
    expect(requests).toHaveLength(2);
    expect(requests[0]!['last-event-id']).toBeUndefined();
    expect(requests[1]).toMatchObject({ 'last-event-id': first.id, authorization: `Bearer ${people.bo.token}`, accept: 'text/event-stream' });
    expect(stream.lastEventId).toBe(second.id);
    expect(seen.statuses.map((s) => s.status)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(seen.statuses.at(-1)!.detail.attempt).toBe(2);
    expect(anyone.baseUrl).toBe(`${server.url}/`);
    stream.close();
  });

  it('given lastEventId, the stream starts after that message', async () => {
    const { code, people, as } = await team();
    const ada = as(people.ada.token);
    const first = await ada.send(code, { to: people.bo.id, text: 'One.' });
    await as(people.cy.token).send(code, { to: people.bo.id, text: 'Two.' });
    const all = recorder();
    as(people.bo.token).stream(code, all.options);
    await eventually(() => expect(all.messages().map((m) => m.data.text)).toEqual(['One.', 'Two.']));
    const after = recorder({ lastEventId: first.id });
    const stream = as(people.bo.token).stream(code, after.options);
    await eventually(() => expect(after.messages().map((m) => m.data.text)).toEqual(['Two.']));
    expect(after.names()).toEqual(['ready', 'message']);
    stream.close();
  });

  it('after a restart with a fresh memory store, the vanished session ends with a made-up session-ended "lost"', async () => {
    const first = await serveApp(memoryApp());
    const anyone = new WarmshowerClient({ baseUrl: first.url });
    const { code } = await anyone.createSession({ ttlSeconds: 600 });
    const ada = await anyone.join(code, { displayName: 'Ada' });
    const seen = recorder();
    const stream = anyone.withToken(ada.token).stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBe(1));

    await first.close();
    await eventually(() => expect(seen.saw('reconnecting')).toBe(true));
    await serveApp(memoryApp(), first.port);
    await expect(stream.ended).resolves.toEqual({ reason: 'lost' });
    expect(seen.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'lost' } });
    expect(seen.statuses.at(-1)).toMatchObject({ status: 'ended', detail: { reason: 'lost' } });
  });

  it('a session whose expiresAt passed while disconnected ends with session-ended "expired", without retrying on', async () => {
    // The server's clock runs two hours behind: its session is live to it, long expired to the client.
    const clock = { now: () => Date.now() - 2 * 3600_000, setTimeout: (fn: () => void, ms: number) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    } };
    const server = await serveApp(memoryApp({ clock }));
    const anyone = new WarmshowerClient({ baseUrl: server.url });
    const { code, expiresAt } = await anyone.createSession({ ttlSeconds: 3600 });
    expect(Date.parse(expiresAt)).toBeLessThan(Date.now());
    const ada = await anyone.join(code, { displayName: 'Ada' });
    const seen = recorder();
    const stream = anyone.withToken(ada.token).stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBe(1));
    server.dropConnections();
    await expect(stream.ended).resolves.toEqual({ reason: 'expired' });
    expect(seen.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'expired' } });
    expect(seen.count('ready')).toBe(1);
  });

  it('silence longer than idleTimeoutMs drops the connection and opens a new one', async () => {
    const { app, code, people, as } = await team({ heartbeatMs: 60_000 });
    const seen = recorder({ idleTimeoutMs: 300 });
    const stream = as(people.ada.token).stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBeGreaterThanOrEqual(2));
    const silence = seen.statuses.find((s) => s.status === 'reconnecting')!;
    expect(silence.detail.error!.message).toMatch(/was silent for 0\.3 s/);
    stream.close();
    await eventually(() => expect(app.stats().openStreams).toBe(0));
  });

  it('pings closer than idleTimeoutMs keep the connection', async () => {
    const { code, people, as } = await team({ heartbeatMs: 50 });
    const { fetch, requests } = recordingFetch();
    let chunks = 0;
    // Counts the bytes' arrivals through a wrapped body: after pings for twice the idle timeout, the
    // first connection still stands.
    const counting = async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      const body = response.body!.pipeThrough(new TransformStream({ transform: (c, ctl) => (chunks++, ctl.enqueue(c)) }));
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client = new WarmshowerClient({ baseUrl: as(people.ada.token).baseUrl, token: people.ada.token, fetch: counting });
    // Pings every 50 ms against 2 s of allowed silence: a pause of the shared event loop on a slow
    // machine must not pass for a dead connection.
    const seen = recorder({ idleTimeoutMs: 2000 });
    const stream = client.stream(code, seen.options);
    await eventually(() => expect(chunks).toBeGreaterThan(80), 15_000);
    expect(requests).toHaveLength(1);
    expect(seen.saw('reconnecting')).toBe(false);
    stream.close();
  });

  it('close() stops the stream: no more events, the server lets go of it, `ended` resolves "closed"', async () => {
    const { app, code, people, as } = await team();
    const seen = recorder();
    const stream = as(people.bo.token).stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBe(1));
    stream.close();
    stream.close();
    await expect(stream.ended).resolves.toEqual({ reason: 'closed' });
    await eventually(() => expect(app.stats().openStreams).toBe(0));
    await as(people.ada.token).send(code, { to: people.bo.id, text: 'Nobody is listening.' });
    const after = recorder();
    const check = as(people.bo.token).stream(code, after.options);
    await eventually(() => expect(after.messages()).toHaveLength(1));
    expect(seen.messages()).toHaveLength(0);
    expect(seen.statuses.map((s) => s.status)).toEqual(['connecting', 'open', 'ended']);
    check.close();
  });

  it('an aborted signal closes the stream like close()', async () => {
    const { code, people, as } = await team();
    const controller = new AbortController();
    const seen = recorder({ signal: controller.signal });
    const stream = as(people.bo.token).stream(code, seen.options);
    await eventually(() => expect(seen.count('ready')).toBe(1));
    controller.abort();
    await expect(stream.ended).resolves.toEqual({ reason: 'closed' });
  });

  it('the first connection refused with 401 or 404 rejects `ended` with the API’s error', async () => {
    const { code, anyone } = await team();
    const unauthorized = anyone.withToken('nope').stream(code, recorder().options);
    await expect(unauthorized.ended).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(unauthorized.status).toBe('failed');
    const other = code === '999999' ? '999998' : '999999';
    const seen = recorder();
    const missing = anyone.withToken('nope').stream(other, seen.options);
    await expect(missing.ended).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND', status: 404 });
    expect(seen.statuses.map((s) => s.status)).toEqual(['connecting', 'failed']);
    expect(seen.events).toEqual([]);
  });

  it('an unreachable server: failFast rejects at once with NETWORK; otherwise the stream keeps trying', async () => {
    const port = await closedPort();
    const client = new WarmshowerClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' });
    const fast = client.stream('123456', { ...recorder().options, failFast: true });
    await expect(fast.ended).rejects.toMatchObject({
      code: 'NETWORK',
      message: `Cannot reach the Warm Shower server at http://127.0.0.1:${port}: the connection was refused.`,
    });
    const patient = recorder();
    const stream = client.stream('123456', patient.options);
    await eventually(() => expect(patient.statuses.filter((s) => s.status === 'reconnecting').length).toBeGreaterThanOrEqual(3));
    const delays = patient.statuses.filter((s) => s.status === 'reconnecting').map((s) => s.detail.delayMs!);
    expect(delays[0]).toBeGreaterThanOrEqual(16); // 20 ms ± 20 %
    expect(delays[0]).toBeLessThanOrEqual(24);
    expect(delays[1]).toBeGreaterThanOrEqual(32); // doubled
    expect(delays[1]).toBeLessThanOrEqual(48);
    stream.close();
    await expect(stream.ended).resolves.toEqual({ reason: 'closed' });
  });
});
