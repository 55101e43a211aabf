// Replies of the scripts as the Store interface's records, and the polite end of a connection.

import type { ParticipantRecord } from '../store.js';
import type { Connection } from './subscriber.js';

/** `[k1, v1, k2, v2…]` as a map. */
export function pairs(flat: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!);
  return map;
}

/** A participant as kept in `people`, online when they hold streams. */
export function participantRecord(json: string, streams: number): ParticipantRecord {
  const p = JSON.parse(json) as { id: string; displayName: string; joinedAt: number; publicKey?: string | null };
  return { id: p.id, displayName: p.displayName, joinedAt: p.joinedAt, online: streams > 0, publicKey: p.publicKey ?? null };
}

/** Closes a connection politely, or at once if Redis does not answer. */
export async function quit(connection: Connection): Promise<void> {
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
