import { describe, expect, it } from 'vitest';
import { MemoryStore, Warmshower, type StreamEvent } from '../src/index.js';

describe('a small warm shower on the memory store', () => {
  it('delivers to the recipient only and completes', async () => {
    const ws = new Warmshower({ store: new MemoryStore() });
    const s = await ws.createSession({ ttlSeconds: 60 });
    const a = await ws.join(s.code, { displayName: 'Ada' });
    const b = await ws.join(s.code, {});
    const got: StreamEvent[] = [];
    const conn = await ws.connect(s.code, b.token, {}, (e) => got.push(e));
    const receipt = await ws.send(s.code, a.token, { to: b.id, text: ' hello ' });
    expect(receipt).toMatchObject({ to: b.id, sentCount: 1, remaining: 0, complete: true });
    await expect(ws.send(s.code, a.token, { to: b.id, text: 'again' })).rejects.toMatchObject({ code: 'ALREADY_SENT' });
    expect(got.map((e) => e.event)).toEqual(['ready', 'message']);
    expect(got[1]).toMatchObject({ data: { text: 'hello' } });
    await ws.end(s.code, s.hostToken);
    expect(got.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } });
    await conn.close();
  });
});
