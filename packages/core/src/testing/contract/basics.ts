import { expect } from 'vitest';
import { hashToken } from '../../warmshower.js';
import { names, type ContractKit } from './kit.js';

/** Sessions, people and warm showers: the answers and errors of the rules over any store. */
export function basics(kit: ContractKit): void {
  kit.test('a new session has a six-digit code and can be looked up', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({ ttlSeconds: 120 });
    expect(session.code).toMatch(/^\d{6}$/);
    expect(Date.parse(session.expiresAt)).toBe(clock.now() + 120_000);
    expect(await ws.getSession(session.code)).toEqual({
      code: session.code,
      expiresAt: session.expiresAt,
      participantCount: 0,
      delivery: 'live',
      revealed: false,
      encryption: 'none',
    });
  });

  kit.test('a live code cannot be created twice', async () => {
    const { ws, store, clock } = kit;
    const now = clock.now();
    const fields = {
      code: '012345',
      hostTokenHash: 'h',
      createdAt: now,
      expiresAt: now + 60_000,
      ttlSeconds: 60,
      delivery: 'live' as const,
      encryption: 'none' as const,
    };
    expect(await store.createSession(fields, now)).toBe(true);
    expect(await store.createSession({ ...fields, hostTokenHash: 'other' }, now)).toBe(false);
    expect((await store.lookup('012345', 'h', now))?.actor).toEqual({ kind: 'host' });
  });

  kit.test('an unknown code is not found', async () => {
    const { ws, store, clock } = kit;
    await expect(ws.getSession('000001')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(ws.join('000001', {})).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });

  kit.test('tokens are kept only as hashes', async () => {
    const { ws, store, clock } = kit;
    const { session, ada } = await kit.threeOfUs();
    const now = clock.now();
    expect((await store.lookup(session.code, ada.token, now))?.actor).toBeNull();
    expect((await store.lookup(session.code, session.hostToken, now))?.actor).toBeNull();
    expect((await store.lookup(session.code, hashToken(ada.token), now))?.actor).toMatchObject({
      kind: 'participant',
      participant: { id: ada.id, displayName: 'Ada' },
    });
  });

  kit.test('display names are unique in a session, whatever their case', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({});
    await ws.join(session.code, { displayName: 'Ada' });
    await expect(ws.join(session.code, { displayName: ' ADA ' })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    const other = await ws.createSession({});
    await expect(ws.join(other.code, { displayName: 'ada' })).resolves.toMatchObject({ displayName: 'ada' });
  });

  kit.test('someone who joins without a name gets a friendly one', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({});
    const a = await ws.join(session.code, {});
    const b = await ws.join(session.code, { displayName: '   ' });
    expect(a.displayName).toMatch(/^\S.*\S$/);
    expect(b.displayName.toLowerCase()).not.toBe(a.displayName.toLowerCase());
  });

  kit.test('participants are listed in join order, with my own progress', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs();
    await ws.send(session.code, ada.token, { to: cy.id, text: 'You make mornings better.' });
    const list = await ws.participants(session.code, ada.token);
    expect(list.participants).toEqual([
      { id: ada.id, displayName: 'Ada', online: false },
      { id: bo.id, displayName: 'Bo', online: false },
      { id: cy.id, displayName: 'Cy', online: false },
    ]);
    expect(list.me).toEqual({ id: ada.id, sentTo: [cy.id], complete: false });
    const forHost = await ws.participants(session.code, session.hostToken);
    expect(forHost.me).toBeUndefined();
  });

  kit.test('a warm shower reaches its recipient only, without its sender', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs();
    const toBo = await kit.listen(session.code, bo.token);
    const toCy = await kit.listen(session.code, cy.token);
    const host = await kit.listen(session.code, session.hostToken);
    const receipt = await ws.send(session.code, ada.token, { to: bo.id, text: '  Thank you for the review.  ', from: cy.id });
    expect(receipt).toMatchObject({ to: bo.id, sentCount: 1, remaining: 1, complete: false });
    await kit.eventually(() => expect(names(toBo.events)).toContain('message'));
    const message = toBo.events.find((e) => e.event === 'message');
    expect(message).toEqual({
      event: 'message',
      id: receipt.id,
      data: { id: receipt.id, text: 'Thank you for the review.', receivedAt: new Date(clock.now()).toISOString() },
    });
    await kit.eventually(() => expect(host.events.filter((e) => e.event === 'progress').at(-1)?.data).toEqual({ sent: 1, possible: 6 }));
    expect(names(toCy.events)).not.toContain('message');
    for (const events of [toBo.events, toCy.events, host.events]) {
      // The roster in `ready` names everyone; nothing after it may point at the sender.
      const after = JSON.stringify(events.filter((e) => e.event !== 'ready'));
      expect(after).not.toContain(ada.id);
      expect(after).not.toContain('Ada');
    }
    const inbox = await store.inbox(session.code, bo.id, clock.now());
    expect(JSON.stringify(inbox)).not.toContain(ada.id);
  });

  kit.test('a second shower to the same person is refused', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs();
    await ws.send(session.code, ada.token, { to: bo.id, text: 'one' });
    await expect(ws.send(session.code, ada.token, { to: bo.id, text: 'two' })).rejects.toMatchObject({
      code: 'ALREADY_SENT',
    });
    expect(await store.inbox(session.code, bo.id, clock.now())).toHaveLength(1);
    await expect(ws.send(session.code, bo.token, { to: ada.id, text: 'back' })).resolves.toMatchObject({ sentCount: 1 });
  });

  kit.test('showers to oneself, to strangers, by the host or with a wrong token are refused in order', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs();
    const send = (token: string | null, body: unknown, code = session.code) => ws.send(code, token, body);
    await expect(send(ada.token, { to: ada.id, text: 'me' })).rejects.toMatchObject({ code: 'SELF_MESSAGE' });
    await expect(send(ada.token, { to: 'nobody', text: 'hi' })).rejects.toMatchObject({ code: 'RECIPIENT_NOT_FOUND' });
    await expect(send(session.hostToken, { to: bo.id, text: 'hi' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(send('wrong', { to: bo.id, text: 'hi' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(send(null, { to: bo.id, text: 'hi' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(send(ada.token, { to: bo.id, text: '   ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(send('wrong', { to: bo.id, text: '' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(send(ada.token, { to: bo.id, text: 'x' }, '999999')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect((await ws.participants(session.code, ada.token)).me?.sentTo).toEqual([]);
  });

  kit.test('writing to everyone completes you, and a newcomer reopens the list', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs();
    const mine = await kit.listen(session.code, ada.token);
    await ws.send(session.code, ada.token, { to: bo.id, text: 'a' });
    const last = await ws.send(session.code, ada.token, { to: cy.id, text: 'b' });
    expect(last).toMatchObject({ sentCount: 2, remaining: 0, complete: true });
    await kit.eventually(() => expect(mine.events.filter((e) => e.event === 'complete')).toHaveLength(1));
    expect(mine.events.find((e) => e.event === 'complete')?.data).toEqual({ sentCount: 2 });

    const di = await ws.join(session.code, { displayName: 'Di' });
    await kit.eventually(() => expect(names(mine.events)).toContain('incomplete'));
    expect(names(mine.events).slice(-2)).toEqual(['participant-joined', 'incomplete']);
    expect(mine.events.at(-1)?.data).toEqual({ sentCount: 2, remaining: 1 });
    expect((await ws.participants(session.code, ada.token)).me?.complete).toBe(false);
    const again = await ws.send(session.code, ada.token, { to: di.id, text: 'welcome' });
    expect(again).toMatchObject({ sentCount: 3, remaining: 0, complete: true });
    await kit.eventually(() => expect(mine.events.filter((e) => e.event === 'complete')).toHaveLength(2));
  });

  kit.test('a hundred concurrent showers for one pair give exactly one', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({});
    const ada = await ws.join(session.code, { displayName: 'Ada' });
    const bo = await ws.join(session.code, { displayName: 'Bo' });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => ws.send(session.code, ada.token, { to: bo.id, text: `try ${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    expect(new Set(reasons)).toEqual(new Set(['ALREADY_SENT']));
    expect(await store.inbox(session.code, bo.id, clock.now())).toHaveLength(1);
  });

  kit.test('a hundred concurrent joins all land; two with the same name give one', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({});
    const joins = await Promise.all(
      Array.from({ length: 100 }, (_, i) => ws.join(session.code, { displayName: `Person ${i}` })),
    );
    expect(new Set(joins.map((j) => j.id)).size).toBe(100);
    expect((await ws.getSession(session.code)).participantCount).toBe(100);
    const twins = await Promise.allSettled([
      ws.join(session.code, { displayName: 'Twin' }),
      ws.join(session.code, { displayName: 'twin' }),
    ]);
    expect(twins.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
}
