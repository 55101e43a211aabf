import { expect } from 'vitest';
import { names, type ContractKit } from './kit.js';

/** Live streams: ready, inbox replay, resume, presence, the host's view, end and expiry. */
export function streams(kit: ContractKit): void {
  kit.test('a stream starts with ready and the whole inbox, oldest first', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs();
    const first = await ws.send(session.code, ada.token, { to: cy.id, text: 'first' });
    clock.advance(1000);
    const second = await ws.send(session.code, bo.token, { to: cy.id, text: 'second' });
    const { events } = await kit.listen(session.code, cy.token);
    expect(names(events)).toEqual(['ready', 'message', 'message']);
    expect(events[0]?.data).toMatchObject({ you: { id: cy.id }, sentTo: [], complete: false, expiresAt: session.expiresAt });
    expect(events.slice(1).map((e) => (e.event === 'message' ? e.id : null))).toEqual([first.id, second.id]);
  });

  kit.test('a stream with Last-Event-ID resumes after that message; an unknown id replays all', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs();
    const first = await ws.send(session.code, ada.token, { to: cy.id, text: 'first' });
    const second = await ws.send(session.code, bo.token, { to: cy.id, text: 'second' });
    const resumed = await kit.listen(session.code, cy.token, first.id);
    expect(resumed.events.filter((e) => e.event === 'message').map((e) => (e.event === 'message' ? e.id : ''))).toEqual([second.id]);
    const unknown = await kit.listen(session.code, cy.token, 'not-a-message');
    expect(unknown.events.filter((e) => e.event === 'message')).toHaveLength(2);
    const latest = await kit.listen(session.code, cy.token, second.id);
    expect(names(latest.events)).toEqual(['ready']);
  });

  kit.test('messages sent while a stream opens arrive exactly once', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({});
    const target = await ws.join(session.code, { displayName: 'Target' });
    const senders = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ws.join(session.code, { displayName: `Sender ${i}` })),
    );
    const sends = senders.map((s, i) => ws.send(session.code, s.token, { to: target.id, text: `note ${i}` }));
    const stream = kit.listen(session.code, target.token);
    const receipts = await Promise.all(sends);
    const { events } = await stream;
    await kit.eventually(() => expect(events.filter((e) => e.event === 'message')).toHaveLength(12));
    const ids = events.filter((e) => e.event === 'message').map((e) => (e.event === 'message' ? e.id : ''));
    expect(new Set(ids)).toEqual(new Set(receipts.map((r) => r.id)));
  });

  kit.test('presence follows open streams', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs();
    const watcher = await kit.listen(session.code, ada.token);
    const one = await kit.listen(session.code, bo.token);
    const two = await kit.listen(session.code, bo.token);
    await kit.eventually(() =>
      expect(watcher.events.filter((e) => e.event === 'presence')).toEqual([
        { event: 'presence', data: { id: bo.id, online: true } },
      ]),
    );
    const list = await ws.participants(session.code, session.hostToken);
    expect(list.participants.find((p) => p.id === bo.id)?.online).toBe(true);
    await one.connection.close();
    expect((await ws.participants(session.code, ada.token)).participants.find((p) => p.id === bo.id)?.online).toBe(true);
    await two.connection.close();
    await two.connection.close();
    await kit.eventually(() =>
      expect(watcher.events.filter((e) => e.event === 'presence').at(-1)).toEqual({
        event: 'presence',
        data: { id: bo.id, online: false },
      }),
    );
    expect((await ws.participants(session.code, ada.token)).participants.find((p) => p.id === bo.id)?.online).toBe(false);
  });

  kit.test('the host sees joins and progress counts, nothing more', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({});
    const host = await kit.listen(session.code, session.hostToken);
    expect(names(host.events)).toEqual(['ready', 'progress']);
    expect(host.events[0]?.data).toMatchObject({ you: { host: true }, participants: [] });
    const ada = await ws.join(session.code, { displayName: 'Ada' });
    const bo = await ws.join(session.code, { displayName: 'Bo' });
    await ws.send(session.code, ada.token, { to: bo.id, text: 'secret words' });
    await kit.eventually(() => expect(host.events.at(-1)).toEqual({ event: 'progress', data: { sent: 1, possible: 2 } }));
    expect(JSON.stringify(host.events)).not.toContain('secret words');
    expect(names(host.events)).not.toContain('message');
    expect((await ws.getSession(session.code, session.hostToken)).progress).toEqual({ sent: 1, possible: 2 });
    expect((await ws.getSession(session.code, ada.token)).progress).toBeUndefined();
  });

  kit.test('ending a session tells every stream and forgets everything', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs();
    await ws.send(session.code, ada.token, { to: bo.id, text: 'bye' });
    const member = await kit.listen(session.code, bo.token);
    const host = await kit.listen(session.code, session.hostToken);
    await expect(ws.end(session.code, ada.token)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await ws.end(session.code, session.hostToken);
    for (const s of [member, host]) {
      await kit.eventually(() => expect(s.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } }));
    }
    const now = clock.now();
    expect(await store.lookup(session.code, null, now)).toBeNull();
    expect(await store.participants(session.code, now)).toBeNull();
    expect(await store.inbox(session.code, bo.id, now)).toEqual([]);
    await expect(ws.getSession(session.code)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(ws.end(session.code, session.hostToken)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await member.connection.close();
    expect(await store.lookup(session.code, null, clock.now())).toBeNull();
  });

  kit.test('an expired session is gone, and its streams hear why', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({ ttlSeconds: 30 });
    const ada = await ws.join(session.code, { displayName: 'Ada' });
    const mine = await kit.listen(session.code, ada.token);
    clock.advance(29_000);
    await expect(ws.getSession(session.code)).resolves.toMatchObject({ participantCount: 1 });
    clock.advance(1_000);
    expect(mine.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'expired' } });
    await expect(ws.getSession(session.code)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(ws.join(session.code, {})).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(await store.streamOpened(session.code, ada.id, clock.now(), 5)).toBe('no-session');
  });

  kit.test('a stopped subscription hears nothing more', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs();
    const heard: string[] = [];
    const stop = await store.subscribe(session.code, (fact) => heard.push(fact.type));
    const also: string[] = [];
    const stopAlso = await store.subscribe(session.code, (fact) => also.push(fact.type));
    await stop();
    await ws.send(session.code, ada.token, { to: bo.id, text: 'hello' });
    await kit.eventually(() => expect(also).toEqual(['message', 'sent']));
    expect(heard).toEqual([]);
    await stopAlso();
  });
}
