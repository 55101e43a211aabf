import fc from 'fast-check';
import { expect } from 'vitest';
import { codePoints, isWarmshowerError, Warmshower, type Store } from '../src/index.js';
import { ManualClock } from '../src/testing/index.js';

/**
 * A tiny model of the rules of SPEC §1, written as plainly as possible, and a runner that plays
 * random sequences of operations against Warmshower over a store and against the model, expecting
 * the same answers and the same errors.
 */

type Op =
  | { type: 'create'; ttl: unknown }
  | { type: 'join'; s: number; name: unknown }
  | { type: 'send'; s: number; from: number; to: number | 'self' | 'nobody'; text: string }
  | { type: 'hostSends'; s: number; to: number }
  | { type: 'participants'; s: number; who: number }
  | { type: 'status'; s: number }
  | { type: 'end'; s: number; asHost: boolean }
  | { type: 'advance'; ms: number };

interface ModelPerson {
  name: string;
  sentTo: number[];
  id?: string;
  token?: string;
}

interface ModelSession {
  expiresAt: number;
  ended: boolean;
  people: ModelPerson[];
  sent: number;
  code?: string;
  hostToken?: string;
}

type Answer = { ok: true; value: unknown } | { ok: false; code: string };

const index = fc.nat({ max: 5 });

export const operations: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ type: fc.constant('create' as const), ttl: fc.constantFrom(10, 60, 3600, 9, 86_401, 12.5, '60', undefined) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant('join' as const),
        s: index,
        name: fc.constantFrom(undefined, null, 'Ada', 'ada', ' Bo ', 'BO', '', '   ', 'x'.repeat(40), 'y'.repeat(41), '😀'.repeat(40), 'a\nb', 7),
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        type: fc.constant('send' as const),
        s: index,
        from: index,
        to: fc.oneof(index, fc.constantFrom('self' as const, 'nobody' as const)),
        text: fc.constantFrom('Thank you!', '  kind words  ', '', '   ', 'z'.repeat(1000), 'z'.repeat(1001), '💐'.repeat(1000)),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('hostSends' as const), s: index, to: index }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('participants' as const), s: index, who: index }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('status' as const), s: index }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('end' as const), s: index, asHost: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 9_000, 55_000, 3_600_000) }) },
  ),
  { minLength: 1, maxLength: 40 },
);

const validTtl = (ttl: unknown) => ttl === undefined || (typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 10 && ttl <= 86_400);

/** What the model says an operation answers, and how it changes the model. */
function predict(model: ModelSession[], op: Op, now: number): Answer {
  const pick = (s: number) => (model.length ? model[s % model.length] : undefined);
  const live = (m: ModelSession | undefined) => !!m && !m.ended && now < m.expiresAt;
  const notFound: Answer = { ok: false, code: 'SESSION_NOT_FOUND' };
  switch (op.type) {
    case 'create': {
      if (!validTtl(op.ttl)) return { ok: false, code: 'INVALID_INPUT' };
      const ttlSeconds = (op.ttl as number | undefined) ?? 3600;
      model.push({ expiresAt: now + ttlSeconds * 1000, ended: false, people: [], sent: 0 });
      return { ok: true, value: { ttlSeconds } };
    }
    case 'join': {
      const m = pick(op.s);
      if (!live(m) || !m) return notFound;
      if (op.name !== undefined && op.name !== null && typeof op.name !== 'string') return { ok: false, code: 'INVALID_INPUT' };
      const name = typeof op.name === 'string' ? op.name.trim() : '';
      if (codePoints(name) > 40 || /[\u0000-\u001f]/.test(name)) return { ok: false, code: 'INVALID_INPUT' };
      if (name && m.people.some((p) => p.name.toLowerCase() === name.toLowerCase())) return { ok: false, code: 'NAME_TAKEN' };
      m.people.push({ name, sentTo: [] });
      return { ok: true, value: name ? { displayName: name } : { generated: true } };
    }
    case 'send': {
      const m = pick(op.s);
      if (!live(m) || !m) return notFound;
      if (m.people.length === 0) return { ok: false, code: 'UNAUTHORIZED' };
      const from = op.from % m.people.length;
      const text = op.text.trim();
      if (codePoints(text) < 1 || codePoints(text) > 1000) return { ok: false, code: 'INVALID_INPUT' };
      if (op.to === 'self') return { ok: false, code: 'SELF_MESSAGE' };
      if (op.to === 'nobody') return { ok: false, code: 'RECIPIENT_NOT_FOUND' };
      const to = op.to % m.people.length;
      if (to === from) return { ok: false, code: 'SELF_MESSAGE' };
      const sender = m.people[from]!;
      if (sender.sentTo.includes(to)) return { ok: false, code: 'ALREADY_SENT' };
      sender.sentTo.push(to);
      m.sent++;
      const n = m.people.length;
      return {
        ok: true,
        value: { sentCount: sender.sentTo.length, remaining: n - 1 - sender.sentTo.length, complete: sender.sentTo.length === n - 1 },
      };
    }
    case 'hostSends': {
      const m = pick(op.s);
      if (!live(m) || !m) return notFound;
      return { ok: false, code: 'FORBIDDEN' };
    }
    case 'participants': {
      const m = pick(op.s);
      if (!live(m) || !m) return notFound;
      const n = m.people.length;
      if (n === 0) return { ok: true, value: { count: 0, sent: 0, complete: false } };
      const me = m.people[op.who % n]!;
      return { ok: true, value: { count: n, sent: me.sentTo.length, complete: n >= 2 && me.sentTo.length === n - 1 } };
    }
    case 'status': {
      const m = pick(op.s);
      if (!live(m) || !m) return notFound;
      const n = m.people.length;
      return { ok: true, value: { participantCount: n, progress: { sent: m.sent, possible: n * (n - 1) } } };
    }
    case 'end': {
      const m = pick(op.s);
      if (!live(m) || !m) return notFound;
      if (!op.asHost) {
        if (m.people.length === 0) return { ok: false, code: 'UNAUTHORIZED' };
        return { ok: false, code: 'FORBIDDEN' };
      }
      m.ended = true;
      return { ok: true, value: null };
    }
    case 'advance':
      return { ok: true, value: null };
  }
}

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
  switch (op.type) {
    case 'create': {
      const answer = await attempt(() => ws.createSession(op.ttl === undefined ? {} : { ttlSeconds: op.ttl }));
      if (!answer.ok) return answer;
      const created = answer.value as { code: string; hostToken: string; ttlSeconds: number };
      // predict() pushed the session already; attach the real code and token to it.
      const m = model[model.length - 1]!;
      m.code = created.code;
      m.hostToken = created.hostToken;
      return { ok: true, value: { ttlSeconds: created.ttlSeconds } };
    }
    case 'join': {
      const m = pick(op.s);
      const body = op.name === undefined ? {} : { displayName: op.name };
      const answer = await attempt(() => ws.join(code(m), body));
      if (!answer.ok) return answer;
      const joined = answer.value as { id: string; token: string; displayName: string };
      const person = m!.people[m!.people.length - 1]!;
      person.id = joined.id;
      person.token = joined.token;
      if (!person.name) person.name = joined.displayName; // generated names count for uniqueness too
      const named = typeof op.name === 'string' && op.name.trim() !== '';
      return { ok: true, value: named ? { displayName: joined.displayName } : { generated: true } };
    }
    case 'send': {
      const m = pick(op.s);
      const n = m?.people.length ?? 0;
      const from = n ? m!.people[op.from % n] : undefined;
      const to =
        op.to === 'self' ? from?.id : op.to === 'nobody' ? 'nobody' : n ? m!.people[op.to % n]?.id : 'nobody';
      const answer = await attempt(() => ws.send(code(m), from?.token ?? 'no-token', { to, text: op.text }));
      if (!answer.ok) return answer;
      const { sentCount, remaining, complete } = answer.value as { sentCount: number; remaining: number; complete: boolean };
      return { ok: true, value: { sentCount, remaining, complete } };
    }
    case 'hostSends': {
      const m = pick(op.s);
      const n = m?.people.length ?? 0;
      const to = n ? m!.people[op.to % n]!.id : 'nobody';
      return attempt(() => ws.send(code(m), m?.hostToken ?? 'no-token', { to, text: 'from the host' }));
    }
    case 'participants': {
      const m = pick(op.s);
      const n = m?.people.length ?? 0;
      if (!n) {
        const answer = await attempt(() => ws.participants(code(m), m?.hostToken));
        if (!answer.ok) return answer;
        return { ok: true, value: { count: (answer.value as { participants: unknown[] }).participants.length, sent: 0, complete: false } };
      }
      const me = m!.people[op.who % n]!;
      const answer = await attempt(() => ws.participants(code(m), me.token));
      if (!answer.ok) return answer;
      const list = answer.value as { participants: unknown[]; me: { sentTo: string[]; complete: boolean } };
      expect(list.me.sentTo).toEqual(me.sentTo.map((i) => m!.people[i]!.id));
      return { ok: true, value: { count: list.participants.length, sent: list.me.sentTo.length, complete: list.me.complete } };
    }
    case 'status': {
      const m = pick(op.s);
      const answer = await attempt(() => ws.getSession(code(m), m?.hostToken));
      if (!answer.ok) return answer;
      const { participantCount, progress } = answer.value as { participantCount: number; progress: unknown };
      return { ok: true, value: { participantCount, progress } };
    }
    case 'end': {
      const m = pick(op.s);
      const token = op.asHost ? m?.hostToken : m?.people[0]?.token ?? 'not-a-member';
      const answer = await attempt(() => ws.end(code(m), token));
      return answer.ok ? { ok: true, value: null } : answer;
    }
    case 'advance':
      clock.advance(op.ms);
      return { ok: true, value: null };
  }
}

/** Plays `ops` against a fresh Warmshower over `store` and against the model. */
export async function playAgainstModel(store: Store, clock: ManualClock, ops: Op[]): Promise<void> {
  const ws = new Warmshower({ store, clock });
  const model: ModelSession[] = [];
  for (const op of ops) {
    const expected = predict(model, op, clock.now());
    const actual = await perform(ws, model, op, clock);
    expect({ op, answer: actual }).toEqual({ op, answer: expected });
  }
}
