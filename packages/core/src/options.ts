// The options of the rules, and how they are checked.
import type { Clock } from './clock.js';
import type { RandomSource } from './random.js';
import type { Store } from './store.js';

/**
 * Decides whether a warm shower's text may be sent (rule 12): a reason to refuse it (shown to the
 * writer in the 422's sentence), or nothing to let it through. Runs before anything is stored.
 */
export type Screen = (text: string) => string | null | undefined | Promise<string | null | undefined>;

export interface WarmshowerOptions {
  store: Store;
  /** Lifetime of a session created without `ttlSeconds` (10 to 86400). Default 3600. */
  defaultTtlSeconds?: number;
  /** People a session may hold (2 to 1000, rule 8). Default 250. */
  maxParticipants?: number;
  /** Screens texts before they are stored (rule 12); end-to-end sessions cannot be screened here. */
  screen?: Screen;
  /** Milliseconds between heartbeats of open streams' sessions (leases, lost sessions). Default 5000. */
  heartbeatMs?: number;
  clock?: Clock;
  random?: RandomSource;
}

export interface ConnectOptions {
  /** The id of the last message this client received (SSE `Last-Event-ID`). */
  lastEventId?: string | null;
}

/** A whole-number option within its bounds, or a RangeError naming it. */
export const range = (name: string, value: number, min: number, max: number): number => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${value}.`);
  }
  return value;
};
