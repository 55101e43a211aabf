// Plays the model of the rules (model.ts) against Warmshower over a store: each operation run for
// real, its answer reduced to what the model predicts.

import { expect } from 'vitest';
import { isWarmshowerError, Warmshower, type Store } from '../src/index.js';
import { ManualClock } from '../src/testing/index.js';
import { modelName, predict, type Answer, type ModelSession, type Op } from './model.js';

/** Runs the operation for real and reduces its answer to what the model predicts. */
async function perform(ws: Warmshower, model: ModelSession[], op: Op, clock: ManualClock): Promise<Answer> {
  const pick = (s: number) => (model.length ? model[s % model.length] : undefined);
  const attempt = async (fn: () => Promise<unknown>): Promise<Answer> => {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      if (isWarmshowerError(error)) return { ok: false, code: error.code };
      throw error;
    }
  };
  const code = (m: ModelSession | undefined) => m?.code ?? '999999';
  const person = (m: ModelSession | undefined, i: number) => (m?.people.length ? m.people[i % m.people.length] : undefined);
  const hostOr = (m: ModelSession | undefined, asHost: boolean) => (asHost ? m?.hostToken : m?.people[0]?.token ?? 'not-a-member');
  switch (op.type) {
    case 'create': {
      const body = { ...(op.ttl === undefined ? {} : { ttlSeconds: op.ttl }), ...(op.delivery ? { delivery: op.delivery } : {}) };
      const answer = await attempt(() => ws.createSession(body));
      if (!answer.ok) return answer;
      const created = answer.value as { code: string; hostToken: string; ttlSeconds: number; delivery: string };
      // predict() pushed the session already; attach the real code and token to it.
      const m = model[model.length - 1]!;
      m.code = created.code;
      m.hostToken = created.hostToken;
      return { ok: true, value: { ttlSeconds: created.ttlSeconds, delivery: created.delivery } };
    }
    case 'join': {
      const m = pick(op.s);
      const answer = await attempt(() => ws.join(code(m), op.name === undefined ? {} : { displayName: op.name }));
      if (!answer.ok) return answer;
      const joined = answer.value as { id: string; token: string; displayName: string };
      const p = m!.people[m!.people.length - 1]!;
      p.id = joined.id;
      p.token = joined.token;
      if (!p.name) p.name = joined.displayName; // generated names count for uniqueness too
      return { ok: true, value: modelName(op.name) ? { displayName: joined.displayName } : { generated: true } };
    }
    case 'send': {
      const m = pick(op.s);
      const from = person(m, op.from);
      const to = op.to === 'self' ? from?.id : op.to === 'nobody' ? 'nobody' : person(m, op.to)?.id ?? 'nobody';
      const answer = await attempt(() => ws.send(code(m), from?.token ?? 'no-token', { to, text: op.text }));
      if (!answer.ok) return answer;
      const { id, sentCount, remaining, complete } = answer.value as { id: string; sentCount: number; remaining: number; complete: boolean };
      if (m?.latest) m.latest.id = id;
      return { ok: true, value: { sentCount, remaining, complete } };
    }
    case 'hostSends': {
      const m = pick(op.s);
      return attempt(() => ws.send(code(m), m?.hostToken ?? 'no-token', { to: person(m, op.to)?.id ?? 'nobody', text: 'from the host' }));
    }
    case 'participants': {
      const m = pick(op.s);
      const me = person(m, op.who);
      const answer = await attempt(() => ws.participants(code(m), me?.token ?? m?.hostToken));
      if (!answer.ok) return answer;
      const list = answer.value as { participants: unknown[]; me?: { sentTo: string[]; complete: boolean } };
      if (!me) return { ok: true, value: { count: list.participants.length, sent: 0, complete: false } };
      expect(list.me!.sentTo).toEqual(me.sentTo.map((i) => m!.people[i]!.id));
      return { ok: true, value: { count: list.participants.length, sent: list.me!.sentTo.length, complete: list.me!.complete } };
    }
    case 'status': {
      const m = pick(op.s);
      const answer = await attempt(() => ws.getSession(code(m), m?.hostToken));
      if (!answer.ok) return answer;
      const { participantCount, progress, revealed } = answer.value as { participantCount: number; progress: unknown; revealed: boolean };
      return { ok: true, value: { participantCount, progress, revealed } };
    }
    case 'inbox': {
      const m = pick(op.s);
      const me = person(m, op.who);
      const seen: { id: string; thanked: boolean }[] = [];
      const answer = await attempt(async () => {
        const connection = await ws.connect(code(m), me?.token ?? m?.hostToken, {}, (event) => {
          if (event.event === 'message') seen.push({ id: event.id, thanked: event.data.thanked === true });
        });
        await connection.close();
      });
      return answer.ok ? { ok: true, value: seen } : answer;
    }
    case 'reveal': {
      const m = pick(op.s);
      return attempt(() => ws.reveal(code(m), hostOr(m, op.asHost)));
    }
    case 'extend': {
      const m = pick(op.s);
      const answer = await attempt(() => ws.extendSession(code(m), hostOr(m, op.asHost), { ttlSeconds: op.ttl }));
      return answer.ok ? { ok: true, value: { ttlSeconds: (answer.value as { ttlSeconds: number }).ttlSeconds } } : answer;
    }
    case 'thank': {
      const m = pick(op.s);
      const me = person(m, op.who);
      const answer = await attempt(() => ws.thank(code(m), me?.token ?? 'no-token', me?.inbox[op.nth]?.id ?? 'no-such-id'));
      return answer.ok ? { ok: true, value: null } : answer;
    }
    case 'end': {
      const m = pick(op.s);
      const answer = await attempt(() => ws.end(code(m), hostOr(m, op.asHost)));
      return answer.ok ? { ok: true, value: null } : answer;
    }
    case 'advance':
      clock.advance(op.ms);
      return { ok: true, value: null };
  }
}

/**
 * Plays `ops` against a fresh Warmshower over `store` and against the model; `afterEach` (a check
 * of what the store keeps) runs after every operation.
 */
export async function playAgainstModel(
  store: Store,
  clock: ManualClock,
  ops: Op[],
  afterEach: (op: Op) => Promise<void> = async () => undefined,
): Promise<void> {
  const ws = new Warmshower({ store, clock });
  const model: ModelSession[] = [];
  for (const op of ops) {
    const expected = predict(model, op, clock.now());
    const actual = await perform(ws, model, op, clock);
    expect({ op, answer: actual }).toEqual({ op, answer: expected });
    await afterEach(op);
  }
}
