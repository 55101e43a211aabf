import { expect } from 'vitest';
import { HOST } from '../../store.js';
import { names, type ContractKit } from './kit.js';

const key = (n: number) => Buffer.alloc(32, n).toString('base64url');

/** Bounds (rule 8), end-to-end sessions (SPEC §10) and the heartbeat. */
export function bounds(kit: ContractKit): void {
  kit.test('a full session refuses the next join, whoever races for the last place', async () => {
    const ws = kit.rules({ maxParticipants: 5 });
    const session = await ws.createSession({});
    const joins = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => ws.join(session.code, { displayName: `P${i}` })));
    expect(joins.filter((j) => j.status === 'fulfilled')).toHaveLength(5);
    const refusals = joins.flatMap((j) => (j.status === 'rejected' ? [(j.reason as { code: string }).code] : []));
    expect(refusals).toEqual(['SESSION_FULL', 'SESSION_FULL', 'SESSION_FULL']);
    expect((await ws.getSession(session.code)).participantCount).toBe(5);
  });

  kit.test('a person holds at most five streams at once; closing one makes room', async () => {
    const { ws } = kit;
    const { session, ada } = await kit.threeOfUs();
    const five = [];
    for (let i = 0; i < 5; i++) five.push(await kit.listen(session.code, ada.token));
    await expect(kit.listen(session.code, ada.token)).rejects.toMatchObject({ code: 'TOO_MANY_STREAMS' });
    await five[0]!.connection.close();
    const sixth = await kit.listen(session.code, ada.token);
    expect(names(sixth.events)[0]).toBe('ready');
    for (let i = 0; i < 5; i++) await kit.listen(session.code, session.hostToken);
    await expect(kit.listen(session.code, session.hostToken)).rejects.toMatchObject({ code: 'TOO_MANY_STREAMS' });
    // The refusals cost nobody their presence: Ada is still online.
    const list = await ws.participants(session.code, session.hostToken);
    expect(list.participants.find((p) => p.id === ada.id)?.online).toBe(true);
    expect(await kit.store.streamOpened(session.code, HOST, kit.clock.now(), 5)).toBe('too-many');
  });

  kit.test('an end-to-end session needs a key to join and carries ciphertext, never text', async () => {
    const { ws } = kit;
    const session = await ws.createSession({ encryption: 'e2e' });
    expect(session.encryption).toBe('e2e');
    await expect(ws.join(session.code, { displayName: 'Ada' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ws.join(session.code, { displayName: 'Ada', publicKey: 'short' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const ada = await ws.join(session.code, { displayName: 'Ada', publicKey: key(1) });
    const toBo = { events: [] as unknown[] };
    const bo = await ws.join(session.code, { displayName: 'Bo', publicKey: key(2) });
    const stream = await kit.listen(session.code, bo.token);
    toBo.events = stream.events;
    expect(stream.events[0]?.data).toMatchObject({
      encryption: 'e2e',
      participants: [
        { id: ada.id, displayName: 'Ada', publicKey: key(1) },
        { id: bo.id, displayName: 'Bo', publicKey: key(2) },
      ],
    });
    expect((await ws.participants(session.code, ada.token)).participants[1]).toMatchObject({ publicKey: key(2) });
    await expect(ws.send(session.code, ada.token, { to: bo.id, text: 'in the clear' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('end-to-end'),
    });
    await expect(ws.send(session.code, ada.token, { to: bo.id, ciphertext: 'not base64url!' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const sealed = Buffer.alloc(320, 7).toString('base64url');
    const receipt = await ws.send(session.code, ada.token, { to: bo.id, ciphertext: sealed });
    await kit.eventually(() => expect(names(stream.events)).toContain('message'));
    expect(stream.events.find((e) => e.event === 'message')?.data).toEqual({
      id: receipt.id,
      ciphertext: sealed,
      receivedAt: expect.any(String),
    });
    const cy = await ws.join(session.code, { displayName: 'Cy', publicKey: key(3) });
    await kit.eventually(() =>
      expect(stream.events.find((e) => e.event === 'participant-joined')?.data).toEqual({
        id: cy.id,
        displayName: 'Cy',
        publicKey: key(3),
      }),
    );
    // A plain session refuses keys and ciphertext.
    const plain = await kit.threeOfUs();
    await expect(ws.join(plain.session.code, { displayName: 'Di', publicKey: key(4) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(ws.send(plain.session.code, plain.ada.token, { to: plain.bo.id, ciphertext: sealed })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  kit.test('the heartbeat tells whether the session is still there', async () => {
    const { ws, store, clock } = kit;
    const { session, ada } = await kit.threeOfUs();
    const holders = new Map([[ada.id, 1]]);
    expect(await store.heartbeat(session.code, holders, clock.now())).toMatchObject({ live: true });
    await ws.end(session.code, session.hostToken);
    expect(await store.heartbeat(session.code, holders, clock.now())).toEqual({ live: false });
    expect(await store.heartbeat('999999', new Map(), clock.now())).toEqual({ live: false });
  });
}
