import fc from 'fast-check';
import { codePoints } from '../src/index.js';

/**
 * A tiny model of the rules of SPEC §1, written as plainly as possible, and random sequences of
 * operations; model-play.ts plays them against Warmshower over a store and against the model,
 * expecting the same answers and the same errors, inboxes in the same order included.
 */

export type Op =
  | { type: 'create'; ttl: unknown; delivery: 'live' | 'reveal' | undefined }
  | { type: 'join'; s: number; name: unknown }
  | { type: 'send'; s: number; from: number; to: number | 'self' | 'nobody'; text: string }
  | { type: 'hostSends'; s: number; to: number }
  | { type: 'participants'; s: number; who: number }
  | { type: 'status'; s: number }
  | { type: 'inbox'; s: number; who: number }
  | { type: 'reveal'; s: number; asHost: boolean }
  | { type: 'extend'; s: number; asHost: boolean; ttl: unknown }
  | { type: 'thank'; s: number; who: number; nth: number }
  | { type: 'end'; s: number; asHost: boolean }
  | { type: 'advance'; ms: number };

interface ModelMessage {
  id?: string;
  thanked: boolean;
}

interface ModelPerson {
  name: string;
  sentTo: number[];
  inbox: ModelMessage[];
  held: ModelMessage[];
  id?: string;
  token?: string;
}

export interface ModelSession {
  expiresAt: number;
  ttl: number;
  delivery: 'live' | 'reveal';
  revealed: boolean;
  ended: boolean;
  people: ModelPerson[];
  sent: number;
  code?: string;
  hostToken?: string;
  /** The message the last `send` stored, for `perform` to give it its id. */
  latest?: ModelMessage;
}

export type Answer = { ok: true; value: unknown } | { ok: false; code: string };

const index = fc.nat({ max: 5 });
const ttls = [10, 60, 3600, 9, 86_401, 12.5, '60', undefined];

export const operations: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('create' as const),
        ttl: fc.constantFrom(...ttls),
        delivery: fc.constantFrom(undefined, 'live' as const, 'reveal' as const),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant('join' as const),
        s: index,
        name: fc.constantFrom(undefined, null, 'Ada', 'ada', ' Bo ', 'BO', '', '   ', 'x'.repeat(40), 'y'.repeat(41), '😀'.repeat(40), 'a\nb', 7, 'Al\u200bice', 'Ａｄａ', 'Cy  Young'),
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        type: fc.constant('send' as const),
        s: index,
        from: index,
        to: fc.oneof(index, fc.constantFrom('self' as const, 'nobody' as const)),
        text: fc.constantFrom('Thank you!', '  kind words  ', '', '   ', 'z'.repeat(1000), 'z'.repeat(1001), '💐'.repeat(1000), 'bell\u0007'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('hostSends' as const), s: index, to: index }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('participants' as const), s: index, who: index }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('status' as const), s: index }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('inbox' as const), s: index, who: index }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('reveal' as const), s: index, asHost: fc.boolean() }) },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constant('extend' as const), s: index, asHost: fc.boolean(), ttl: fc.constantFrom(10, 600, 9, '60') }),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('thank' as const), s: index, who: index, nth: fc.nat({ max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('end' as const), s: index, asHost: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 9_000, 55_000, 3_600_000) }) },
  ),
  { minLength: 1, maxLength: 40 },
);

const validTtl = (ttl: unknown) => ttl === undefined || (typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 10 && ttl <= 86_400);

/** The name as the rules keep it, or null for a refused one ('' means "make one up"). */
export function modelName(name: unknown): string | undefined {
  if (name === undefined || name === null) return '';
  if (typeof name !== 'string') return undefined;
  const kept = name.trim().normalize('NFKC').replace(/\s+/g, ' ');
  if (/[\u0000-\u001f\u200b]/.test(name) || codePoints(kept) > 40) return undefined;
  return kept;
}

const warnAt = (m: ModelSession) => m.expiresAt - Math.min(300, m.ttl / 5) * 1000;

/** Rule 9: shows the held messages, ordered by their (random) ids, before the ones delivered live. */
function reveal(m: ModelSession): void {
  m.revealed = true;
  for (const p of m.people) {
    p.inbox = [...p.held.sort((a, b) => (a.id! < b.id! ? -1 : 1)), ...p.inbox];
    p.held = [];
  }
}

/** Any request that looks a session up reveals it once its warning has come. */
function touch(m: ModelSession, now: number): void {
  if (m.delivery === 'reveal' && !m.revealed && now >= warnAt(m)) reveal(m);
}

/** What the model says an operation answers, and how it changes the model. */
export function predict(model: ModelSession[], op: Op, now: number): Answer {
  const pick = (s: number) => (model.length ? model[s % model.length] : undefined);
  const notFound: Answer = { ok: false, code: 'SESSION_NOT_FOUND' };
  if (op.type === 'create') {
    if (!validTtl(op.ttl)) return { ok: false, code: 'INVALID_INPUT' };
    const ttl = (op.ttl as number | undefined) ?? 3600;
    const delivery = op.delivery ?? 'live';
    model.push({ expiresAt: now + ttl * 1000, ttl, delivery, revealed: false, ended: false, people: [], sent: 0 });
    return { ok: true, value: { ttlSeconds: ttl, delivery } };
  }
  if (op.type === 'advance') return { ok: true, value: null };
  const m = pick(op.s);
  if (!m || m.ended || now >= m.expiresAt) return notFound;
  const n = m.people.length;
  const noOne: Answer = { ok: false, code: 'UNAUTHORIZED' };
  const hostOnly = (asHost: boolean): Answer | null => (asHost ? null : n === 0 ? noOne : { ok: false, code: 'FORBIDDEN' });
  switch (op.type) {
    case 'join': {
      const name = modelName(op.name);
      if (name === undefined) {
        touch(m, now);
        return { ok: false, code: 'INVALID_INPUT' };
      }
      if (name && m.people.some((p) => p.name.toLowerCase() === name.toLowerCase())) return { ok: false, code: 'NAME_TAKEN' };
      m.people.push({ name, sentTo: [], inbox: [], held: [] });
      return { ok: true, value: name ? { displayName: name } : { generated: true } };
    }
    case 'send': {
      if (n === 0) return noOne;
      const from = op.from % n;
      const text = op.text.trim();
      if (codePoints(text) < 1 || codePoints(text) > 1000 || text.includes('\u0007')) {
        touch(m, now);
        return { ok: false, code: 'INVALID_INPUT' };
      }
      if (op.to === 'self') return { ok: false, code: 'SELF_MESSAGE' };
      if (op.to === 'nobody') return { ok: false, code: 'RECIPIENT_NOT_FOUND' };
      const to = op.to % n;
      if (to === from) return { ok: false, code: 'SELF_MESSAGE' };
      const sender = m.people[from]!;
      if (sender.sentTo.includes(to)) return { ok: false, code: 'ALREADY_SENT' };
      sender.sentTo.push(to);
      m.sent++;
      m.latest = { thanked: false };
      const recipient = m.people[to]!;
      (m.delivery === 'reveal' && !m.revealed ? recipient.held : recipient.inbox).push(m.latest);
      const count = sender.sentTo.length;
      return { ok: true, value: { sentCount: count, remaining: n - 1 - count, complete: count === n - 1 } };
    }
    case 'hostSends':
      return { ok: false, code: 'FORBIDDEN' };
    case 'end': {
      touch(m, now);
      const refused = hostOnly(op.asHost);
      if (refused) return refused;
      m.ended = true;
      return { ok: true, value: null };
    }
  }
  touch(m, now);
  switch (op.type) {
    case 'participants': {
      if (n === 0) return { ok: true, value: { count: 0, sent: 0, complete: false } };
      const me = m.people[op.who % n]!;
      return { ok: true, value: { count: n, sent: me.sentTo.length, complete: n >= 2 && me.sentTo.length === n - 1 } };
    }
    case 'status':
      return {
        ok: true,
        value: { participantCount: n, progress: { sent: m.sent, possible: n * (n - 1) }, revealed: m.revealed },
      };
    case 'inbox':
      return { ok: true, value: n === 0 ? [] : m.people[op.who % n]!.inbox.map((x) => ({ id: x.id, thanked: x.thanked })) };
    case 'reveal': {
      const refused = hostOnly(op.asHost);
      if (refused) return refused;
      if (m.delivery === 'live' || m.revealed) return { ok: false, code: 'ALREADY_REVEALED' };
      reveal(m);
      return { ok: true, value: { revealed: true } };
    }
    case 'extend': {
      const refused = hostOnly(op.asHost);
      if (refused) return refused;
      if (!validTtl(op.ttl)) return { ok: false, code: 'INVALID_INPUT' };
      m.ttl = op.ttl as number;
      m.expiresAt = now + m.ttl * 1000;
      return { ok: true, value: { ttlSeconds: m.ttl } };
    }
    case 'thank': {
      if (n === 0) return noOne;
      const message = m.people[op.who % n]!.inbox[op.nth];
      if (!message) return { ok: false, code: 'MESSAGE_NOT_FOUND' };
      if (message.thanked) return { ok: false, code: 'ALREADY_THANKED' };
      message.thanked = true;
      return { ok: true, value: null };
    }
  }
  throw new Error(`no prediction for ${(op as Op).type}`);
}
