import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { client, eventually, listen, manualApp, openStream } from './helpers.js';

type Server = Awaited<ReturnType<typeof listen>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A served app with a session of three people. */
async function team(options: Parameters<typeof manualApp>[0] = {}) {
  const setup = manualApp(options);
  const server = await listen(setup.app);
  servers.push(server);
  const api = client(server.url);
  const session = await api.session(600);
  const ada = await api.join(session.code, 'Ada');
  const bo = await api.join(session.code, 'Bo');
  const cy = await api.join(session.code, 'Cy');
  const eventsUrl = `${server.url}/api/sessions/${session.code}/events`;
  const stream = (token: string, headers: Record<string, string> = {}) =>
    openStream(eventsUrl, { authorization: `Bearer ${token}`, ...headers });
  return { ...setup, server, api, session, ada, bo, cy, eventsUrl, stream };
}

/** The raw SSE frame of the event with this id. */
const frameOf = (raw: string, id: string) => raw.split('\n\n').find((block) => block.includes(`id: ${id}`))!;

describe('live events over HTTP', () => {
  it('a warm shower reaches its recipient alone, with an SSE id and nothing about who sent it', async () => {
    const { api, session, ada, bo, cy, stream } = await team();
    const [toAda, toBo, toCy, host] = await Promise.all([
      stream(ada.token),
      stream(bo.token),
      stream(cy.token),
      stream(session.hostToken),
    ]);
    await Promise.all([toAda.next('ready'), toBo.next('ready'), toCy.next('ready'), host.next('ready')]);
    const sent = await api.send(session.code, ada.token, bo.id, 'Your calm in the outage helped us all');
    expect(sent.status).toBe(201);
    const message = await toBo.next('message');
    expect(message).toEqual({
      event: 'message',
      id: sent.body.id,
      data: { id: sent.body.id, text: 'Your calm in the outage helped us all', receivedAt: expect.any(String) },
    });
    const frame = frameOf(toBo.raw, sent.body.id);
    expect(frame).not.toContain(ada.id);
    expect(frame).not.toContain('Ada');
    await host.next('progress', 2); // after ready, and after the send
    expect(host.events.at(-1)!.data).toEqual({ sent: 1, possible: 6 });
    for (const other of [toAda, toCy, host]) {
      expect(other.events.filter((e) => e.event === 'message')).toEqual([]);
      expect(other.raw).not.toContain('Your calm');
    }
    await Promise.all([toAda, toBo, toCy, host].map((s) => s.close()));
  });

  it('the stream starts with ready (and progress for the host), and events other than messages carry no id', async () => {
    const { session, bo, stream } = await team();
    const host = await stream(session.hostToken);
    expect(host.status).toBe(200);
    expect(host.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await host.next('progress');
    expect(host.events.map((e) => e.event)).toEqual(['ready', 'progress']);
    expect(host.events[0]!.data).toMatchObject({ you: { host: true }, participants: expect.any(Array) });
    expect(host.raw).not.toContain('id:');
    const mine = await stream(bo.token);
    expect((await mine.next('ready')).data.you).toEqual({ id: bo.id });
    await Promise.all([host.close(), mine.close()]);
  });

  it('complete arrives once when the last shower goes out, and again after a newcomer is written to', async () => {
    const { api, session, ada, bo, cy, stream } = await team();
    const mine = await stream(ada.token);
    await mine.next('ready');
    await api.send(session.code, ada.token, bo.id, 'Thanks for the pairing');
    const last = await api.send(session.code, ada.token, cy.id, 'Thanks for the docs');
    expect(last.body.complete).toBe(true);
    expect((await mine.next('complete')).data).toEqual({ sentCount: 2 });
    await api.send(session.code, bo.token, cy.id, 'Unrelated shower');
    const dee = await api.join(session.code, 'Dee');
    await mine.next('participant-joined');
    expect(mine.events.filter((e) => e.event === 'complete')).toHaveLength(1);
    await api.send(session.code, ada.token, dee.id, 'Welcome aboard');
    expect((await mine.next('complete', 2)).data).toEqual({ sentCount: 3 });
    await mine.close();
  });

  it('a stream reopened with Last-Event-ID gets exactly the messages after that id, then live ones', async () => {
    const { api, session, ada, bo, cy, stream } = await team();
    const first = await stream(bo.token);
    const m1 = await api.send(session.code, ada.token, bo.id, 'one');
    await first.next('message');
    await first.close();
    const m2 = await api.send(session.code, cy.token, bo.id, 'two');
    const dee = await api.join(session.code, 'Dee');
    const m3 = await api.send(session.code, dee.token, bo.id, 'three');

    const resumed = await stream(bo.token, { 'last-event-id': m1.body.id });
    await resumed.next('message', 2);
    const m4 = await api.send(session.code, bo.token, ada.id, 'not for Bo'); // Bo sends: no message for Bo
    const eve = await api.join(session.code, 'Eve');
    const m5 = await api.send(session.code, eve.token, bo.id, 'five');
    await resumed.next('message', 3);
    expect(resumed.events.filter((e) => e.event === 'message').map((e) => e.id)).toEqual([m2.body.id, m3.body.id, m5.body.id]);
    expect(m4.status).toBe(201);

    const fresh = await stream(bo.token, { 'last-event-id': 'an-id-we-never-gave' });
    await fresh.next('message', 4);
    expect(fresh.events.filter((e) => e.event === 'message').map((e) => e.data.text)).toEqual(['one', 'two', 'three', 'five']);
    await Promise.all([resumed.close(), fresh.close()]);
  });

  it('ending the session sends session-ended to every stream and closes them all', async () => {
    const { api, app, store, session, ada, bo, stream } = await team();
    const streams = await Promise.all([stream(ada.token), stream(bo.token), stream(session.hostToken)]);
    await Promise.all(streams.map((s) => s.next('ready')));
    expect(app.stats().openStreams).toBe(3);
    expect((await api.end(session.code, session.hostToken)).status).toBe(204);
    for (const s of streams) {
      expect((await s.next('session-ended')).data).toEqual({ reason: 'ended' });
      await s.waitEnd();
      expect(s.events.at(-1)!.event).toBe('session-ended');
    }
    await eventually(() => app.stats().openStreams === 0 && store.listenerCount === 0, 5000, 'streams to be released');
    const again = await stream(ada.token);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: 'SESSION_NOT_FOUND' } });
  });

  it('when the session expires, streams get session-ended with reason expired and close', async () => {
    const { app, clock, store, session, ada, stream } = await team();
    const mine = await stream(ada.token);
    const host = await stream(session.hostToken);
    await Promise.all([mine.next('ready'), host.next('ready')]);
    clock.advance(600_000);
    for (const s of [mine, host]) {
      expect((await s.next('session-ended')).data).toEqual({ reason: 'expired' });
      await s.waitEnd();
    }
    await eventually(() => app.stats().openStreams === 0 && store.listenerCount === 0, 5000, 'streams to be released');
  });

  it('others see presence when a participant opens and closes their stream', async () => {
    const { session, ada, bo, stream } = await team();
    const watcher = await stream(ada.token);
    const host = await stream(session.hostToken);
    await Promise.all([watcher.next('ready'), host.next('ready')]);
    const boStream = await stream(bo.token);
    expect((await watcher.next('presence')).data).toEqual({ id: bo.id, online: true });
    expect((await host.next('presence')).data).toEqual({ id: bo.id, online: true });
    const second = await stream(bo.token); // a second tab: still one presence change
    await second.next('ready');
    await second.close();
    await boStream.close();
    expect((await watcher.next('presence', 2)).data).toEqual({ id: bo.id, online: false });
    expect(watcher.events.filter((e) => e.event === 'presence')).toHaveLength(2);
    await Promise.all([watcher.close(), host.close()]);
  });

  it('an idle stream gets a ping comment every heartbeat', async () => {
    const { ada, stream } = await team({ heartbeatMs: 40 });
    const mine = await stream(ada.token);
    await mine.next('ready');
    await mine.until(() => mine.comments.length >= 3, 'three pings');
    expect(mine.comments.every((c) => c === ': ping')).toBe(true);
    await mine.close();
  });

  it('refusals come before the stream starts, as JSON: unknown session 404, no or bad token 401', async () => {
    const { server, eventsUrl, stream } = await team();
    const none = await openStream(eventsUrl);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    const bad = await stream('not-a-token');
    expect(bad.status).toBe(401);
    const nowhere = await openStream(`${server.url}/api/sessions/000001/events`, { authorization: 'Bearer x' });
    expect(nowhere.status).toBe(404);
  });

  it('a browser EventSource uses the cookie from joining (and ?as=host the host cookie), never a token in the URL', async () => {
    const { server, api } = await team();
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    const { code } = (await created.json()) as { code: string };
    const hostCookie = created.headers.get('set-cookie')!.split(';')[0]!;
    const joined = await fetch(`${server.url}/api/sessions/${code}/participants`, { method: 'POST' });
    const me = (await joined.json()) as { id: string; token: string };
    const participantCookie = joined.headers.get('set-cookie')!.split(';')[0]!;
    const other = await api.join(code, 'Other');
    // What a browser does: send both cookies the path allows; EventSource adds no headers.
    const withCookies = (cookie: string) => (input: string | URL | Request, init?: RequestInit) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
    const both = `${hostCookie}; ${participantCookie}`;
    const received = new Promise<MessageEvent>((resolve, reject) => {
      const source = new EventSource(`${server.url}/api/sessions/${code}/events`, { fetch: withCookies(both) });
      source.addEventListener('message', (e) => (source.close(), resolve(e)));
      source.onerror = (e) => (source.close(), reject(new Error(`EventSource failed: ${e.message}`)));
    });
    const hostReady = new Promise<MessageEvent>((resolve, reject) => {
      const source = new EventSource(`${server.url}/api/sessions/${code}/events?as=host`, { fetch: withCookies(both) });
      source.addEventListener('ready', (e) => (source.close(), resolve(e)));
      source.onerror = (e) => (source.close(), reject(new Error(`EventSource failed: ${e.message}`)));
    });
    expect(JSON.parse((await hostReady).data).you).toEqual({ host: true });
    // The participant's EventSource is open once they show online.
    await eventually(async () => {
      const list = await api.call('GET', `/api/sessions/${code}/participants`, { token: other.token });
      return list.body.participants.find((p: { id: string }) => p.id === me.id)?.online === true;
    }, 5000, 'the cookie stream to open');
    await api.send(code, other.token, me.id, 'Cookies work');
    const message = await received;
    expect(JSON.parse(message.data).text).toBe('Cookies work');
    expect(message.lastEventId).toBe(JSON.parse(message.data).id);
  });

  it('a thousand streams opened and closed leave no stream, listener or timer behind', async () => {
    const { app, store, clock, session, ada, bo, cy, stream, api } = await team();
    const baselineTimers = clock.pending;
    // Twenty-five people with four streams each: within the five a person may hold.
    const more = await Promise.all(Array.from({ length: 21 }, (_, i) => api.join(session.code, `Extra ${i}`)));
    const tokens = [ada.token, bo.token, cy.token, session.hostToken, ...more.map((p) => p.token)];
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.all(Array.from({ length: 100 }, (_, i) => stream(tokens[i % tokens.length]!)));
      await Promise.all(opened.map((s) => s.next('ready')));
      expect(app.stats().openStreams).toBe(100);
      await Promise.all(opened.map((s) => s.close()));
      // The server lets go of a stream when it notices its client left: wait for that, or the next
      // batch could find a person still holding four and be refused a fifth.
      await eventually(() => app.stats().openStreams === 0, 10_000, `batch ${batch} released`);
    }
    await eventually(() => app.stats().openStreams === 0, 10_000, 'open streams back at zero');
    await eventually(() => store.listenerCount === 0, 5000, 'store listeners back at zero');
    expect(clock.pending).toBe(baselineTimers);
    const people = await app.warmshower.participants(session.code, session.hostToken);
    expect(people.participants.every((p) => !p.online)).toBe(true);
  });
});
