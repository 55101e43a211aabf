import { errors } from '@warmshower/core';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { httpErrors } from './errors.js';

export interface RateLimitOptions {
  /** Sessions one client address may create per minute. Default 30. */
  createPerMinute?: number;
  /** Requests naming an unknown session code, per minute. Default 20. */
  missesPerMinute?: number;
  /** Where the counters live; with Redis, every server process on it shares them. Default: this process. */
  redis?: unknown;
  /** Prefix of the Redis keys of the counters. Default `ws:limit`. */
  keyPrefix?: string;
}

/** The two per-address limits of SPEC §2, on rate-limiter-flexible. */
export interface RateLimits {
  /** Counts one session creation; throws RATE_LIMITED when over the limit. */
  creation(address: string): Promise<void>;
  /** Throws RATE_LIMITED while the address is over the miss limit. */
  checkMisses(address: string): Promise<void>;
  /** Counts one miss (a request naming an unknown code); throws RATE_LIMITED once over the limit. */
  miss(address: string): Promise<void>;
}

const retryAfter = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** A limiter's own failure (its store is down) is a 503, not a crash. */
const unavailable = (error: unknown): never => {
  if (error instanceof RateLimiterRes) throw error;
  throw errors.storeUnavailable(error);
};

export function createRateLimits(options: RateLimitOptions = {}): RateLimits {
  const prefix = options.keyPrefix ?? 'ws:limit';
  const make = (name: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({
          storeClient: options.redis,
          keyPrefix: `${prefix}:${name}`,
          points,
          duration: 60,
          // Fail fast with a 503 while Redis is away, instead of queueing requests.
          rejectIfRedisNotReady: true,
        })
      : new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration: 60 });
  const createPoints = options.createPerMinute ?? 30;
  const missPoints = options.missesPerMinute ?? 20;
  const creations = make('create', createPoints);
  const misses = make('miss', missPoints);

  return {
    async creation(address) {
      try {
        await creations.consume(address);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw httpErrors.tooManyCreations(retryAfter(error));
        unavailable(error);
      }
    },
    async checkMisses(address) {
      const res = await misses.get(address).catch(unavailable);
      if (res && res.consumedPoints >= missPoints) throw httpErrors.tooManyMisses(retryAfter(res));
    },
    async miss(address) {
      const res = await misses.penalty(address, 1).catch(unavailable);
      if (res.consumedPoints > missPoints) throw httpErrors.tooManyMisses(retryAfter(res));
    },
  };
}

/** No limits at all (`rateLimits: false`). */
export const noRateLimits: RateLimits = {
  creation: async () => undefined,
  checkMisses: async () => undefined,
  miss: async () => undefined,
};

/** The limits as routes use them: per client key, where a request's key may be unknown. */
export interface ClientLimits {
  creation(key: string | undefined): Promise<void>;
  checkMisses(key: string | undefined): Promise<void>;
  miss(key: string | undefined): Promise<void>;
}

/**
 * Limits that let a request whose client address is unknown pass, calling `onUnknown` (which warns
 * once): counting all such requests under one key would let one client lock out everyone
 * (docs/decisions.md, "Client addresses off Node").
 */
export function perKnownClient(limits: RateLimits, onUnknown: () => void): ClientLimits {
  const known =
    (limit: (key: string) => Promise<void>) =>
    async (key: string | undefined): Promise<void> => {
      if (key === undefined) return onUnknown();
      await limit(key);
    };
  return { creation: known(limits.creation), checkMisses: known(limits.checkMisses), miss: known(limits.miss) };
}
