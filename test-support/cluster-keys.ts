// What a store has left in a Redis Cluster, read from every master: which keys, and when each
// expires, so suites can check that a session's keys live no longer than the session.

import type { Cluster, Redis } from 'ioredis';

export interface StoredKey {
  key: string;
  /** PEXPIRETIME: the absolute expiry in ms, -1 for a key without one. */
  expiresAt: number;
}

/** Every key matching `match` on every master of the cluster (or on one Redis), with its expiry. */
export async function keysWithExpiry(client: Cluster | Redis, match: string): Promise<StoredKey[]> {
  const nodes = (client as { isCluster?: boolean }).isCluster ? (client as Cluster).nodes('master') : [client as Redis];
  const found: StoredKey[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const expiries = await Promise.all(keys.map((key) => node.pexpiretime(key)));
      keys.forEach((key, i) => found.push({ key, expiresAt: Number(expiries[i]) }));
    } while (cursor !== '0');
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** The session code in a key `<prefix>:{<code>}:<part>`. */
export const codeOfKey = (key: string): string => /\{(\d{6})\}/.exec(key)?.[1] ?? '';

/**
 * Checks SPEC rule 1 and §4 on what is stored: every key of a live session carries an expiry no
 * later than its session key's, and a session that ended has no key left. Returns the problems.
 */
export function keyProblems(keys: StoredKey[], prefix: string, ended: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const sessionExpiry = new Map<string, number>();
  for (const { key, expiresAt } of keys) {
    if (key.endsWith(':session')) sessionExpiry.set(codeOfKey(key), expiresAt);
  }
  for (const { key, expiresAt } of keys) {
    const code = codeOfKey(key);
    const limit = sessionExpiry.get(code);
    if (!key.startsWith(`${prefix}:{${code}}:`)) problems.push(`${key} is not of the form ${prefix}:{code}:part`);
    else if (ended.has(code)) problems.push(`${key} is left after its session ended`);
    else if (limit === undefined) problems.push(`${key} outlives its session key`);
    else if (expiresAt < 0) problems.push(`${key} has no expiry`);
    else if (expiresAt > limit) problems.push(`${key} expires ${expiresAt - limit} ms after its session`);
  }
  return problems;
}
