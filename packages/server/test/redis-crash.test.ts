// Rule 7 and rule 4 when a server process dies (kill -9) beside another on one Redis: its
// participants go offline for everyone within 45 s, once, and resuming on the survivor with
// Last-Event-ID loses and repeats nothing.

import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import type { ServerProcess } from './fixtures/processes.js';
import { client, openStream, type SseEvent } from './helpers.js';
import { twoProcessesOnRedis } from './two-processes.js';
import { eventually } from '../../../test-support/eventually.js';
import { describeWithRedis } from '../../../test-support/redis.js';

describeWithRedis('a server process killed beside another on one Redis', () => {
  const both = twoProcessesOnRedis('server-crash', { rateLimits: false });

  it('kill -9 of A: its participants go offline on B within 45 s, once each; resuming on B with Last-Event-ID loses and repeats nothing', async () => {
    const { a, b } = both;
    const api = client(b.url);
    const session = await api.session(600);
    const [ada, bo, eve, cy, di] = await Promise.all(['Ada', 'Bo', 'Eve', 'Cy', 'Di'].map((name) => api.join(session.code, name)));
    const stream = (server: ServerProcess, token: string, lastEventId?: string) =>
      openStream(`${server.url}/api/sessions/${session.code}/events`, {
        authorization: `Bearer ${token}`,
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      });
    const onA = await Promise.all([ada, bo, eve].map((p) => stream(a, p!.token)));
    const [adaOnA, boOnA, eveOnA] = [onA[0]!, onA[1]!, onA[2]!];
    const watchers = await Promise.all([session.hostToken, cy!.token, di!.token].map((token) => stream(b, token)));
    await Promise.all([adaOnA, boOnA, eveOnA, ...watchers].map((s) => s.next('ready')));
    const before = await Promise.all([ada, bo].map((p) => api.send(session.code, eve!.token, p!.id, 'before the crash')));
    const [adaLast, boLast] = await Promise.all([adaOnA, boOnA].map(async (s) => (await s.next('message')).id!));
    expect([adaLast, boLast]).toEqual(before.map((r) => r.body.id));

    const killedAt = performance.now();
    a.child.kill('SIGKILL');
    await Promise.all([adaOnA, boOnA, eveOnA].map((s) => s.waitEnd()));
    // Eve comes back on B at once, before A's lease runs out: she must stay online throughout.
    const eveOnB = await stream(b, eve!.token);
    await eveOnB.next('ready');
    // Written while Ada and Bo are away.
    const away = new Map<string, string[]>();
    for (const to of [ada!, bo!]) {
      for (const from of [cy!, di!]) {
        const sent = await api.send(session.code, from.token, to.id, `while you were away, from ${from.displayName}`);
        expect(sent.status).toBe(201);
        away.set(to.id, [...(away.get(to.id) ?? []), sent.body.id]);
      }
    }

    const offline = (s: Awaited<ReturnType<typeof stream>>, id: string) =>
      s.events.filter((e: SseEvent) => e.event === 'presence' && e.data.id === id && e.data.online === false);
    const wentOffline = new Map<string, number>();
    await eventually(() => {
      for (const p of [ada!, bo!]) {
        expect(watchers.every((s) => offline(s, p.id).length > 0)).toBe(true);
        if (!wentOffline.has(p.id)) wentOffline.set(p.id, performance.now());
      }
    }, 50_000);
    const figures = [ada!, bo!].map((p) => `${p.displayName} ${((wentOffline.get(p.id)! - killedAt) / 1000).toFixed(1)} s`);
    console.log(`kill -9 of A: offline on B's streams after ${figures.join(', ')}`);
    for (const p of [ada!, bo!]) expect(wentOffline.get(p.id)! - killedAt).toBeLessThan(45_000);

    // They resume on B after their last message: exactly what was written meanwhile, in order, once.
    const resumed = await Promise.all([
      stream(b, ada!.token, adaLast),
      stream(b, bo!.token, boLast),
    ]);
    for (const [i, [p, other]] of [[ada!, bo!], [bo!, ada!]].entries()) {
      const s = resumed[i]!;
      await s.next('ready');
      // A later message is the barrier: whatever came before it has arrived.
      const late = await api.send(session.code, other!.token, p!.id, 'welcome back');
      expect(late.status).toBe(201);
      await eventually(() => expect(s.events.some((e) => e.id === late.body.id)).toBe(true));
      expect(s.events.flatMap((e) => (e.event === 'message' ? [e.id] : []))).toEqual([...away.get(p!.id)!, late.body.id]);
    }
    // Everyone on B saw each go offline exactly once, and back online; Eve never went offline.
    for (const w of watchers) {
      await eventually(() => {
        for (const p of [ada!, bo!]) {
          expect(w.events.filter((e) => e.event === 'presence' && e.data.id === p.id).at(-1)?.data.online).toBe(true);
        }
      });
      for (const p of [ada!, bo!]) expect(offline(w, p.id)).toHaveLength(1);
      expect(offline(w, eve!.id)).toEqual([]);
    }
    await Promise.all([...resumed, ...watchers, eveOnB].map((s) => s.close()));
    await api.end(session.code, session.hostToken);
  }, 60_000);
});
