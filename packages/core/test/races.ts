// The contested steps of the rules, raced through two Warmshowers over one shared store (two
// server processes): run on one Redis (redis-store.test.ts) and on a Redis Cluster.

import { expect } from 'vitest';
import type { Warmshower } from '../src/index.js';

/** The session a race ran in, for the caller's own checks (keys, end). */
export interface Raced {
  code: string;
  hostToken: string;
}

/** A hundred concurrent showers for one ordered pair give exactly one; the 99 others are ALREADY_SENT. */
export async function raceShowers(one: Warmshower, two: Warmshower): Promise<Raced> {
  const session = await one.createSession({});
  const ada = await one.join(session.code, { displayName: 'Ada' });
  const bo = await two.join(session.code, { displayName: 'Bo' });
  const results = await Promise.allSettled(
    Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).send(session.code, ada.token, { to: bo.id, text: `try ${i}` })),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const refusals = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
  expect(refusals).toEqual(Array.from({ length: 99 }, () => 'ALREADY_SENT'));
  expect(await two.participants(session.code, ada.token)).toMatchObject({ me: { sentTo: [bo.id], complete: true } });
  expect(await one.getSession(session.code, session.hostToken)).toMatchObject({ progress: { sent: 1, possible: 2 } });
  return session;
}

/** A hundred concurrent joins all land, in one list of a hundred distinct people. */
export async function raceJoins(one: Warmshower, two: Warmshower): Promise<Raced> {
  const session = await one.createSession({});
  const joins = await Promise.all(
    Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).join(session.code, { displayName: `Person ${i}` })),
  );
  const list = await one.participants(session.code, session.hostToken);
  expect(list.participants).toHaveLength(100);
  expect(new Set(list.participants.map((p) => p.id))).toEqual(new Set(joins.map((j) => j.id)));
  expect(new Set(list.participants.map((p) => p.displayName)).size).toBe(100);
  return session;
}

/** Two concurrent joins with the same name (case aside) give one participant and one NAME_TAKEN. */
export async function raceSameName(one: Warmshower, two: Warmshower): Promise<Raced> {
  const session = await one.createSession({});
  const results = await Promise.allSettled([
    one.join(session.code, { displayName: 'Twin' }),
    two.join(session.code, { displayName: 'TWIN' }),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'NAME_TAKEN' } });
  expect((await one.getSession(session.code)).participantCount).toBe(1);
  return session;
}
