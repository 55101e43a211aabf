import { describe, expect, it } from 'vitest';
import { INVALID_JSON, MemoryStore, Warmshower, type RandomSource } from '../src/index.js';
import { ManualClock } from '../src/testing/index.js';

/** A random source that replays the given integers, then counts up. */
function scriptedRandom(ints: number[]): RandomSource {
  let next = 0;
  return {
    bytes: (n) => Uint8Array.from({ length: n }, () => next++ % 256),
    int: (max) => (ints.length ? ints.shift()! : next++) % max,
  };
}

const setup = (random?: RandomSource) => {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  return { clock, store, ws: new Warmshower({ store, clock, ...(random ? { random } : {}) }) };
};

describe('sessions', () => {
  it('a new code never collides with a live session, and keeps its leading zeros', async () => {
    const { ws } = setup(scriptedRandom([42, 42, 42, 7]));
    const first = await ws.createSession({});
    const second = await ws.createSession({});
    expect(first.code).toBe('000042');
    expect(second.code).toBe('000007');
  });

  it('a code is free again once its session has ended', async () => {
    const { ws } = setup(scriptedRandom([42, 42]));
    const first = await ws.createSession({});
    await ws.end(first.code, first.hostToken);
    expect((await ws.createSession({})).code).toBe('000042');
  });

  it('lifetimes outside 10 s to 24 h, or not whole seconds, are refused with a sentence', async () => {
    const { ws } = setup();
    for (const ttlSeconds of [9, 86_401, 12.5, '60', null, -1]) {
      await expect(ws.createSession({ ttlSeconds })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^ttlSeconds must be .+\.$/),
      });
    }
    await expect(ws.createSession({ ttlSeconds: 10 })).resolves.toMatchObject({ ttlSeconds: 10 });
    await expect(ws.createSession({ ttlSeconds: 86_400 })).resolves.toMatchObject({ ttlSeconds: 86_400 });
    await expect(ws.createSession()).resolves.toMatchObject({ ttlSeconds: 3600 });
  });

  it('the default lifetime is configurable and checked', () => {
    const store = new MemoryStore();
    expect(new Warmshower({ store, defaultTtlSeconds: 60 }).defaultTtlSeconds).toBe(60);
    expect(() => new Warmshower({ store, defaultTtlSeconds: 5 })).toThrow(/from 10 to 86400/);
  });

  it('tokens carry at least 128 random bits and differ every time', async () => {
    const { ws } = setup();
    const a = await ws.createSession({});
    const b = await ws.createSession({});
    expect(Buffer.from(a.hostToken, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(a.hostToken).not.toBe(b.hostToken);
  });

  it('a body that is not JSON, or not an object, is refused plainly', async () => {
    const { ws } = setup();
    await expect(ws.createSession(INVALID_JSON)).rejects.toMatchObject({ message: 'The request body is not valid JSON.' });
    await expect(ws.createSession([1])).rejects.toMatchObject({ message: 'The request body must be a JSON object.' });
    await expect(ws.createSession('hello')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a code that is not six digits is simply not found', async () => {
    const { ws } = setup();
    for (const code of ['12345', '1234567', 'abcdef', '', '../../x']) {
      await expect(ws.getSession(code)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    }
  });
});

describe('names and texts', () => {
  it('display names count characters, not UTF-16 units', async () => {
    const { ws } = setup();
    const { code } = await ws.createSession({});
    await expect(ws.join(code, { displayName: '🌼'.repeat(40) })).resolves.toMatchObject({ displayName: '🌼'.repeat(40) });
    await expect(ws.join(code, { displayName: '🌻'.repeat(41) })).rejects.toMatchObject({
      message: 'A display name can be at most 40 characters.',
    });
    await expect(ws.join(code, { displayName: 'two\nlines' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a warm shower keeps its line breaks and counts characters', async () => {
    const { ws, store, clock } = setup();
    const { code } = await ws.createSession({});
    const a = await ws.join(code, { displayName: 'A' });
    const b = await ws.join(code, { displayName: 'B' });
    const c = await ws.join(code, { displayName: 'C' });
    await expect(ws.send(code, a.token, { to: b.id, text: '🌷'.repeat(1001) })).rejects.toMatchObject({
      message: 'A warm shower can be at most 1000 characters; this one has 1001.',
    });
    await ws.send(code, a.token, { to: b.id, text: '\n  line one\nline two  \n' });
    await ws.send(code, a.token, { to: c.id, text: '🌷'.repeat(1000) });
    expect((await store.inbox(code, b.id, clock.now()))[0]?.body).toBe('line one\nline two');
  });

  it('the order of checks is session, credentials, input, state', async () => {
    const { ws } = setup();
    const { code, hostToken } = await ws.createSession({});
    const a = await ws.join(code, { displayName: 'A' });
    await expect(ws.send('999999', 'bad', 'not an object')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(ws.send(code, 'bad', 'not an object')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(ws.send(code, hostToken, 'not an object')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ws.send(code, a.token, { to: 'nobody', text: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ws.send(code, a.token, { to: 'nobody', text: 'hi' })).rejects.toMatchObject({ code: 'RECIPIENT_NOT_FOUND' });
    await expect(ws.join('999999', { displayName: 42 })).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(ws.join(code, { displayName: 42 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('memory', () => {
  it('the memory store lets go of sessions when they expire', async () => {
    const { ws, store, clock } = setup();
    for (let i = 0; i < 20; i++) await ws.createSession({ ttlSeconds: 10 + i });
    expect(store.size).toBe(20);
    clock.advance(20_000);
    expect(store.size).toBe(9);
    clock.advance(10_000);
    expect(store.size).toBe(0);
    expect(clock.pending).toBe(0);
  });
});

describe('heartbeats', () => {
  it('a process with many sessions spreads their heartbeats over half the interval, each session once', async () => {
    const clock = new ManualClock();
    const beats: { code: string; at: number }[] = [];
    const memory = new MemoryStore({ clock });
    const store = new Proxy(memory, {
      get(target, name, receiver) {
        if (name === 'heartbeat') {
          return (code: string, holders: ReadonlyMap<string, number>, now: number) => {
            beats.push({ code, at: clock.now() });
            return target.heartbeat(code, holders, now);
          };
        }
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const ws = new Warmshower({ store, clock, heartbeatMs: 1000 });
    const codes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { code } = await ws.createSession({});
      const { token } = await ws.join(code, { displayName: `Person ${i}` });
      await ws.connect(code, token, {}, () => undefined);
      codes.push(code);
    }
    const start = clock.now();
    for (let t = 0; t < 2500; t += 5) {
      clock.advance(5);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const first = beats.filter((b) => b.at - start < 2000);
    expect(first.map((b) => b.code).sort()).toEqual([...codes].sort()); // every session, once
    const moments = new Set(first.map((b) => b.at));
    expect(moments.size).toBeGreaterThanOrEqual(35); // not all at once
    expect(Math.min(...first.map((b) => b.at - start))).toBe(1000);
    expect(Math.max(...first.map((b) => b.at - start))).toBeLessThanOrEqual(1500);
    // The next round starts a heartbeat after the last one started, not after its spread ended.
    expect(Math.min(...beats.filter((b) => b.at - start >= 2000).map((b) => b.at - start))).toBe(2000);
  });
});
