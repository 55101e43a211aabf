import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import type { StreamEvent } from '../types.js';
import { hashToken, Warmshower, type Connection } from '../warmshower.js';
import { ManualClock } from './manual-clock.js';

export interface StoreContractContext {
  /** The clock core uses in the suite; a store that keeps timers of its own should use it too. */
  clock: ManualClock;
}

export interface StoreContractOptions {
  /**
   * Tests this store cannot pass, by exact name, with the reason: each is reported as skipped with
   * the reason in its name, never silently dropped.
   */
  skip?: Record<string, string>;
}

/**
 * The behaviour every Store must show, as a vitest suite. Call it at the top level of a test file:
 *
 * ```ts
 * import { runStoreContract } from '@warmshower/core/testing';
 * runStoreContract('MyStore', () => new MyStore());
 * ```
 *
 * The suite drives the store through `Warmshower` (the rules) and checks what a user would see:
 * answers, errors, live events, expiry and deletion. Each test gets a fresh store; `close()` is
 * called after it.
 */
export function runStoreContract(
  name: string,
  makeStore: (context: StoreContractContext) => Store | Promise<Store>,
  options: StoreContractOptions = {},
): void {
  describe(`${name} keeps the Store contract`, () => {
    let store: Store;
    let clock: ManualClock;
    let ws: Warmshower;
    let connections: Connection[] = [];
    const skip = options.skip ?? {};

    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      store = await makeStore({ clock });
      ws = new Warmshower({ store, clock });
      connections = [];
    });

    afterEach(async () => {
      for (const c of connections) await c.close();
      await store.close();
    });

    /** Registers a test, or a skipped one whose name carries the store's reason. */
    const test = (title: string, body: () => Promise<void>) => {
      const reason = skip[title];
      if (reason) it.skip(`${title} (skipped: ${reason})`, body);
      else it(title, body);
    };

    /** Opens a stream and collects its events. */
    const listen = async (code: string, token: string, lastEventId?: string) => {
      const events: StreamEvent[] = [];
      const connection = await ws.connect(code, token, { lastEventId: lastEventId ?? null }, (e) => events.push(e));
      connections.push(connection);
      return { events, connection };
    };

    /** Waits until `check` holds: stores may deliver facts asynchronously (pub/sub). */
    const eventually = async (check: () => void, ms = 3000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        try {
          check();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    };

    const names = (events: StreamEvent[]) => events.map((e) => e.event);

    const threeOfUs = async () => {
      const session = await ws.createSession({ ttlSeconds: 600 });
      const ada = await ws.join(session.code, { displayName: 'Ada' });
      const bo = await ws.join(session.code, { displayName: 'Bo' });
      const cy = await ws.join(session.code, { displayName: 'Cy' });
      return { session, ada, bo, cy };
    };

    test('a new session has a six-digit code and can be looked up', async () => {
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

    test('a live code cannot be created twice', async () => {
      const now = clock.now();
      const fields = { code: '012345', hostTokenHash: 'h', createdAt: now, expiresAt: now + 60_000, ttlSeconds: 60 };
      expect(await store.createSession(fields, now)).toBe(true);
      expect(await store.createSession({ ...fields, hostTokenHash: 'other' }, now)).toBe(false);
      expect((await store.lookup('012345', 'h', now))?.actor).toEqual({ kind: 'host' });
    });

    test('an unknown code is not found', async () => {
      await expect(ws.getSession('000001')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      await expect(ws.join('000001', {})).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    });

    test('tokens are kept only as hashes', async () => {
      const { session, ada } = await threeOfUs();
      const now = clock.now();
      expect((await store.lookup(session.code, ada.token, now))?.actor).toBeNull();
      expect((await store.lookup(session.code, session.hostToken, now))?.actor).toBeNull();
      expect((await store.lookup(session.code, hashToken(ada.token), now))?.actor).toMatchObject({
        kind: 'participant',
        participant: { id: ada.id, displayName: 'Ada' },
      });
    });

    test('display names are unique in a session, whatever their case', async () => {
      const session = await ws.createSession({});
      await ws.join(session.code, { displayName: 'Ada' });
      await expect(ws.join(session.code, { displayName: ' ADA ' })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
      const other = await ws.createSession({});
      await expect(ws.join(other.code, { displayName: 'ada' })).resolves.toMatchObject({ displayName: 'ada' });
    });

    test('someone who joins without a name gets a friendly one', async () => {
      const session = await ws.createSession({});
      const a = await ws.join(session.code, {});
      const b = await ws.join(session.code, { displayName: '   ' });
      expect(a.displayName).toMatch(/^\S.*\S$/);
      expect(b.displayName.toLowerCase()).not.toBe(a.displayName.toLowerCase());
    });

    test('participants are listed in join order, with my own progress', async () => {
      const { session, ada, bo, cy } = await threeOfUs();
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

    test('a warm shower reaches its recipient only, without its sender', async () => {
      const { session, ada, bo, cy } = await threeOfUs();
      const toBo = await listen(session.code, bo.token);
      const toCy = await listen(session.code, cy.token);
      const host = await listen(session.code, session.hostToken);
      const receipt = await ws.send(session.code, ada.token, { to: bo.id, text: '  Thank you for the review.  ', from: cy.id });
      expect(receipt).toMatchObject({ to: bo.id, sentCount: 1, remaining: 1, complete: false });
      await eventually(() => expect(names(toBo.events)).toContain('message'));
      const message = toBo.events.find((e) => e.event === 'message');
      expect(message).toEqual({
        event: 'message',
        id: receipt.id,
        data: { id: receipt.id, text: 'Thank you for the review.', receivedAt: new Date(clock.now()).toISOString() },
      });
      await eventually(() => expect(host.events.filter((e) => e.event === 'progress').at(-1)?.data).toEqual({ sent: 1, possible: 6 }));
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

    test('a second shower to the same person is refused', async () => {
      const { session, ada, bo } = await threeOfUs();
      await ws.send(session.code, ada.token, { to: bo.id, text: 'one' });
      await expect(ws.send(session.code, ada.token, { to: bo.id, text: 'two' })).rejects.toMatchObject({
        code: 'ALREADY_SENT',
      });
      expect(await store.inbox(session.code, bo.id, clock.now())).toHaveLength(1);
      await expect(ws.send(session.code, bo.token, { to: ada.id, text: 'back' })).resolves.toMatchObject({ sentCount: 1 });
    });

    test('showers to oneself, to strangers, by the host or with a wrong token are refused in order', async () => {
      const { session, ada, bo } = await threeOfUs();
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

    test('writing to everyone completes you, and a newcomer reopens the list', async () => {
      const { session, ada, bo, cy } = await threeOfUs();
      const mine = await listen(session.code, ada.token);
      await ws.send(session.code, ada.token, { to: bo.id, text: 'a' });
      const last = await ws.send(session.code, ada.token, { to: cy.id, text: 'b' });
      expect(last).toMatchObject({ sentCount: 2, remaining: 0, complete: true });
      await eventually(() => expect(mine.events.filter((e) => e.event === 'complete')).toHaveLength(1));
      expect(mine.events.find((e) => e.event === 'complete')?.data).toEqual({ sentCount: 2 });

      const di = await ws.join(session.code, { displayName: 'Di' });
      await eventually(() => expect(names(mine.events)).toContain('participant-joined'));
      expect((await ws.participants(session.code, ada.token)).me?.complete).toBe(false);
      const again = await ws.send(session.code, ada.token, { to: di.id, text: 'welcome' });
      expect(again).toMatchObject({ sentCount: 3, remaining: 0, complete: true });
      await eventually(() => expect(mine.events.filter((e) => e.event === 'complete')).toHaveLength(2));
    });

    test('a stream starts with ready and the whole inbox, oldest first', async () => {
      const { session, ada, bo, cy } = await threeOfUs();
      const first = await ws.send(session.code, ada.token, { to: cy.id, text: 'first' });
      clock.advance(1000);
      const second = await ws.send(session.code, bo.token, { to: cy.id, text: 'second' });
      const { events } = await listen(session.code, cy.token);
      expect(names(events)).toEqual(['ready', 'message', 'message']);
      expect(events[0]?.data).toMatchObject({ you: { id: cy.id }, sentTo: [], complete: false, expiresAt: session.expiresAt });
      expect(events.slice(1).map((e) => (e.event === 'message' ? e.id : null))).toEqual([first.id, second.id]);
    });

    test('a stream with Last-Event-ID resumes after that message; an unknown id replays all', async () => {
      const { session, ada, bo, cy } = await threeOfUs();
      const first = await ws.send(session.code, ada.token, { to: cy.id, text: 'first' });
      const second = await ws.send(session.code, bo.token, { to: cy.id, text: 'second' });
      const resumed = await listen(session.code, cy.token, first.id);
      expect(resumed.events.filter((e) => e.event === 'message').map((e) => (e.event === 'message' ? e.id : ''))).toEqual([second.id]);
      const unknown = await listen(session.code, cy.token, 'not-a-message');
      expect(unknown.events.filter((e) => e.event === 'message')).toHaveLength(2);
      const latest = await listen(session.code, cy.token, second.id);
      expect(names(latest.events)).toEqual(['ready']);
    });

    test('messages sent while a stream opens arrive exactly once', async () => {
      const session = await ws.createSession({});
      const target = await ws.join(session.code, { displayName: 'Target' });
      const senders = await Promise.all(
        Array.from({ length: 12 }, (_, i) => ws.join(session.code, { displayName: `Sender ${i}` })),
      );
      const sends = senders.map((s, i) => ws.send(session.code, s.token, { to: target.id, text: `note ${i}` }));
      const stream = listen(session.code, target.token);
      const receipts = await Promise.all(sends);
      const { events } = await stream;
      await eventually(() => expect(events.filter((e) => e.event === 'message')).toHaveLength(12));
      const ids = events.filter((e) => e.event === 'message').map((e) => (e.event === 'message' ? e.id : ''));
      expect(new Set(ids)).toEqual(new Set(receipts.map((r) => r.id)));
    });

    test('presence follows open streams', async () => {
      const { session, ada, bo } = await threeOfUs();
      const watcher = await listen(session.code, ada.token);
      const one = await listen(session.code, bo.token);
      const two = await listen(session.code, bo.token);
      await eventually(() =>
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
      await eventually(() =>
        expect(watcher.events.filter((e) => e.event === 'presence').at(-1)).toEqual({
          event: 'presence',
          data: { id: bo.id, online: false },
        }),
      );
      expect((await ws.participants(session.code, ada.token)).participants.find((p) => p.id === bo.id)?.online).toBe(false);
    });

    test('the host sees joins and progress counts, nothing more', async () => {
      const session = await ws.createSession({});
      const host = await listen(session.code, session.hostToken);
      expect(names(host.events)).toEqual(['ready', 'progress']);
      expect(host.events[0]?.data).toMatchObject({ you: { host: true }, participants: [] });
      const ada = await ws.join(session.code, { displayName: 'Ada' });
      const bo = await ws.join(session.code, { displayName: 'Bo' });
      await ws.send(session.code, ada.token, { to: bo.id, text: 'secret words' });
      await eventually(() => expect(host.events.at(-1)).toEqual({ event: 'progress', data: { sent: 1, possible: 2 } }));
      expect(JSON.stringify(host.events)).not.toContain('secret words');
      expect(names(host.events)).not.toContain('message');
      expect((await ws.getSession(session.code, session.hostToken)).progress).toEqual({ sent: 1, possible: 2 });
      expect((await ws.getSession(session.code, ada.token)).progress).toBeUndefined();
    });

    test('ending a session tells every stream and forgets everything', async () => {
      const { session, ada, bo } = await threeOfUs();
      await ws.send(session.code, ada.token, { to: bo.id, text: 'bye' });
      const member = await listen(session.code, bo.token);
      const host = await listen(session.code, session.hostToken);
      await expect(ws.end(session.code, ada.token)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await ws.end(session.code, session.hostToken);
      for (const s of [member, host]) {
        await eventually(() => expect(s.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } }));
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

    test('an expired session is gone, and its streams hear why', async () => {
      const session = await ws.createSession({ ttlSeconds: 30 });
      const ada = await ws.join(session.code, { displayName: 'Ada' });
      const mine = await listen(session.code, ada.token);
      clock.advance(29_000);
      await expect(ws.getSession(session.code)).resolves.toMatchObject({ participantCount: 1 });
      clock.advance(1_000);
      expect(mine.events.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'expired' } });
      await expect(ws.getSession(session.code)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      await expect(ws.join(session.code, {})).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      expect(await store.streamOpened(session.code, ada.id, clock.now())).toBe(false);
    });

    test('a hundred concurrent showers for one pair give exactly one', async () => {
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

    test('a hundred concurrent joins all land; two with the same name give one', async () => {
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

    test('a stopped subscription hears nothing more', async () => {
      const { session, ada, bo } = await threeOfUs();
      const heard: string[] = [];
      const stop = await store.subscribe(session.code, (fact) => heard.push(fact.type));
      const also: string[] = [];
      const stopAlso = await store.subscribe(session.code, (fact) => also.push(fact.type));
      await stop();
      await ws.send(session.code, ada.token, { to: bo.id, text: 'hello' });
      await eventually(() => expect(also).toEqual(['message', 'sent']));
      expect(heard).toEqual([]);
      await stopAlso();
    });
  });
}
