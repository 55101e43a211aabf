import { expect } from 'vitest';
import type { StreamEvent } from '../../protocol/types.js';
import { messageIds, names, type ContractKit } from './kit.js';

/** Without what only names a stream (`you`, `sentTo`, `sent`): what may never differ between recipients. */
const common = (ready: StreamEvent | undefined) => {
  if (ready?.event !== 'ready') throw new Error('no ready event');
  const { you: _you, sentTo: _sentTo, sent: _sent, ...rest } = ready.data;
  return rest;
};

/** Event names without presence, which depends on who else has a stream open. */
const shown = (events: StreamEvent[]) => names(events).filter((name) => name !== 'presence');

/** The shower moment: reveal mode, the expiry warning and extension, thanks (rules 9 to 11). */
export function finale(kit: ContractKit): void {
  kit.test('a reveal session holds every warm shower until the host reveals it, then delivers each inbox at once', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs({ ttlSeconds: 600, delivery: 'reveal' });
    expect(session.delivery).toBe('reveal');
    const toBo = await kit.listen(session.code, bo.token);
    const toCy = await kit.listen(session.code, cy.token);
    const host = await kit.listen(session.code, session.hostToken);
    const first = await ws.send(session.code, ada.token, { to: bo.id, text: 'held one' });
    const second = await ws.send(session.code, cy.token, { to: bo.id, text: 'held two' });
    await kit.eventually(() => expect(host.events.at(-1)).toEqual({ event: 'progress', data: { sent: 2, possible: 6 } }));
    expect(shown(toBo.events)).toEqual(['ready']);
    expect(await store.inbox(session.code, bo.id, clock.now())).toEqual([]);
    // Bo (two waiting) and Cy (none) cannot be told apart by anything they can read.
    const late = { bo: await kit.listen(session.code, bo.token), cy: await kit.listen(session.code, cy.token) };
    expect(common(late.bo.events[0])).toEqual(common(late.cy.events[0]));
    expect(shown(late.bo.events)).toEqual(['ready']);
    expect(await ws.getSession(session.code, bo.token)).toEqual(await ws.getSession(session.code, cy.token));
    expect((await ws.participants(session.code, bo.token)).participants).toEqual(
      (await ws.participants(session.code, cy.token)).participants,
    );

    clock.advance(5_000);
    await expect(ws.reveal(session.code, ada.token)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await ws.reveal(session.code, session.hostToken)).toEqual({ revealed: true });
    const revealedAt = new Date(clock.now()).toISOString();
    await kit.eventually(() => expect(messageIds(toBo.events)).toHaveLength(2));
    expect(shown(toBo.events).slice(0, 2)).toEqual(['ready', 'revealed']);
    expect(new Set(messageIds(toBo.events))).toEqual(new Set([first.id, second.id]));
    for (const e of toBo.events) if (e.event === 'message') expect(e.data.receivedAt).toBe(revealedAt);
    await kit.eventually(() => expect(shown(toCy.events)).toEqual(['ready', 'revealed']));
    expect(await ws.getSession(session.code)).toMatchObject({ revealed: true });
    await expect(ws.reveal(session.code, session.hostToken)).rejects.toMatchObject({ code: 'ALREADY_REVEALED' });

    // After the reveal, delivery is live; a reload replays the revealed ones in the same order.
    const third = await ws.send(session.code, ada.token, { to: cy.id, text: 'live now' });
    await kit.eventually(() => expect(messageIds(toCy.events)).toEqual([third.id]));
    const reload = await kit.listen(session.code, bo.token);
    expect(messageIds(reload.events)).toEqual(messageIds(toBo.events));
    const resumed = await kit.listen(session.code, bo.token, messageIds(toBo.events)[0]);
    expect(messageIds(resumed.events)).toEqual(messageIds(toBo.events).slice(1));
  });

  kit.test('revealed warm showers come in an order of their own, not the order they were sent', async () => {
    const { ws, store, clock } = kit;
    const session = await ws.createSession({ delivery: 'reveal' });
    const target = await ws.join(session.code, { displayName: 'Target' });
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const writer = await ws.join(session.code, { displayName: `Writer ${i}` });
      sent.push((await ws.send(session.code, writer.token, { to: target.id, text: `note ${i}` })).id);
    }
    await ws.reveal(session.code, session.hostToken);
    const order = (await store.inbox(session.code, target.id, clock.now())).map((m) => m.id);
    expect(new Set(order)).toEqual(new Set(sent));
    // Ordered by the random ids: the same for every reader and every reload, unrelated to sending.
    expect(order).toEqual([...sent].sort());
    const stream = await kit.listen(session.code, target.token);
    expect(messageIds(stream.events)).toEqual(order);
  });

  kit.test('a live session has nothing to reveal, and only its host may try', async () => {
    const { ws } = kit;
    const { session, ada } = await kit.threeOfUs();
    expect(await ws.getSession(session.code)).toMatchObject({ delivery: 'live', revealed: false });
    await expect(ws.reveal(session.code, session.hostToken)).rejects.toMatchObject({ code: 'ALREADY_REVEALED' });
    await expect(ws.reveal(session.code, ada.token)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ws.reveal('999999', session.hostToken)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });

  kit.test('every stream is warned once when the end nears, and an unrevealed session reveals itself then', async () => {
    const { ws, clock } = kit;
    // 100 s: the warning comes min(300, 100 / 5) = 20 s before the end.
    const { session, ada, bo } = await kit.threeOfUs({ ttlSeconds: 100, delivery: 'reveal' });
    const shower = await ws.send(session.code, ada.token, { to: bo.id, text: 'do not lose me' });
    const toBo = await kit.listen(session.code, bo.token);
    const host = await kit.listen(session.code, session.hostToken);
    clock.advance(79_000);
    expect(names(toBo.events)).not.toContain('expiring');
    clock.advance(1_000);
    const expiring = { event: 'expiring', data: { expiresAt: session.expiresAt } };
    expect(toBo.events).toContainEqual(expiring);
    expect(host.events).toContainEqual(expiring);
    await kit.eventually(() => expect(messageIds(toBo.events)).toEqual([shower.id]));
    expect(shown(toBo.events)).toEqual(['ready', 'expiring', 'revealed', 'message']);
    clock.advance(1_000);
    expect(toBo.events.filter((e) => e.event === 'expiring')).toHaveLength(1);
    // A stream opened within the warning hears it at once.
    const late = await kit.listen(session.code, ada.token);
    expect(names(late.events)).toContain('expiring');
  });

  kit.test('a reveal session past its warning is revealed by the first request that looks at it', async () => {
    const { ws, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs({ ttlSeconds: 100, delivery: 'reveal' });
    const shower = await ws.send(session.code, ada.token, { to: bo.id, text: 'nobody was watching' });
    clock.advance(85_000);
    expect(await ws.getSession(session.code)).toMatchObject({ revealed: true });
    const toBo = await kit.listen(session.code, bo.token);
    expect(messageIds(toBo.events)).toEqual([shower.id]);
  });

  kit.test('the host gives the session a new lifetime: every stream hears it and the session lives on', async () => {
    const { ws, store, clock } = kit;
    const { session, ada, bo } = await kit.threeOfUs({ ttlSeconds: 60 });
    const toBo = await kit.listen(session.code, bo.token);
    clock.advance(50_000);
    expect(names(toBo.events)).toContain('expiring');
    await expect(ws.extendSession(session.code, ada.token, { ttlSeconds: 600 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ws.extendSession(session.code, session.hostToken, { ttlSeconds: 5 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const changed = await ws.extendSession(session.code, session.hostToken, { ttlSeconds: 600 });
    const expiresAt = new Date(clock.now() + 600_000).toISOString();
    expect(changed).toEqual({ code: session.code, expiresAt, ttlSeconds: 600 });
    await kit.eventually(() => expect(toBo.events.at(-1)).toEqual({ event: 'expiry-changed', data: { expiresAt } }));
    clock.advance(20_000); // past the first expiry
    expect(await ws.getSession(session.code)).toMatchObject({ expiresAt });
    expect(names(toBo.events)).not.toContain('session-ended');
    await ws.send(session.code, ada.token, { to: bo.id, text: 'still here' });
    // The warning is due again before the new end: min(300, 600 / 5) = 120 s before it.
    clock.advance(600_000 - 20_000 - 121_000);
    expect(toBo.events.filter((e) => e.event === 'expiring')).toHaveLength(1);
    clock.advance(2_000);
    expect(toBo.events.filter((e) => e.event === 'expiring')).toHaveLength(2);
    clock.advance(120_000);
    expect(toBo.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'expired' } });
    expect(await store.lookup(session.code, null, clock.now())).toBeNull();
  });

  kit.test('a recipient thanks a warm shower once, and only its author hears of it', async () => {
    const { ws } = kit;
    const { session, ada, bo, cy } = await kit.threeOfUs();
    const fromAda = await kit.listen(session.code, ada.token);
    const fromCy = await kit.listen(session.code, cy.token);
    const host = await kit.listen(session.code, session.hostToken);
    const shower = await ws.send(session.code, ada.token, { to: bo.id, text: 'thank me' });
    await expect(ws.thank(session.code, ada.token, shower.id)).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    await expect(ws.thank(session.code, cy.token, shower.id)).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    await expect(ws.thank(session.code, session.hostToken, shower.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ws.thank(session.code, 'not-a-token', shower.id)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(ws.thank(session.code, bo.token, 'no-such-id')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    expect(await ws.thank(session.code, bo.token, shower.id)).toEqual({ id: shower.id });
    await expect(ws.thank(session.code, bo.token, shower.id)).rejects.toMatchObject({ code: 'ALREADY_THANKED' });
    await kit.eventually(() => expect(fromAda.events.at(-1)).toEqual({ event: 'thanked', data: { id: shower.id } }));
    expect(names(fromCy.events)).not.toContain('thanked');
    expect(names(host.events)).not.toContain('thanked');
    // Both sides find it again on a reload.
    const again = await kit.listen(session.code, ada.token);
    expect(again.events[0]?.data).toMatchObject({ sent: [{ id: shower.id, to: bo.id, thanked: true }] });
    const inbox = await kit.listen(session.code, bo.token);
    expect(inbox.events.find((e) => e.event === 'message')?.data).toMatchObject({ id: shower.id, thanked: true });
  });
}
