// `serve`'s flags and environment variables turned into startServer's options. Each value is
// checked here when protocol's limits can say so, so that a sentence names the flag and its
// variable; the server checks the rest (public URL, trust proxy) and says what is wrong.
import { limits } from '@warmshower/core/protocol';
import type { Filter, LogLevel as ServerLogLevel } from '@warmshower/server';
import { CliError, exitCodes } from '../exit-codes.js';
import { env, lifetime, typedWholeNumber } from './shared.js';

// The server's own lists, repeated so that yargs can offer them without loading the server for
// every command (`serve` loads it lazily); `satisfies` keeps each of them one the server knows.
export const logLevels = ['error', 'warn', 'info', 'debug'] as const satisfies readonly ServerLogLevel[];
export type LogLevel = (typeof logLevels)[number];
export const filters = ['profanity'] as const satisfies readonly Filter[];

export interface ServeArgs {
  // Numbers as typed (strings), so that a sentence can quote them.
  port: string | undefined;
  host: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string | undefined;
  ttl: string | undefined;
  publicUrl: string | undefined;
  trustProxy: string | undefined;
  maxParticipants: string | undefined;
  filter: (typeof filters)[number] | undefined;
  logLevel: LogLevel | undefined;
}

/** What `serve` hands to startServer (the options of SPEC §5 and §8 it knows). */
export interface ServeOptions {
  port: number;
  host: string;
  redisUrl: string | string[] | undefined;
  redisPrefix: string | undefined;
  ttlSeconds: number;
  publicUrl: string | undefined;
  trustProxy: string | undefined;
  maxParticipants: number | undefined;
  filter: (typeof filters)[number] | undefined;
  logLevel: LogLevel | undefined;
}

/**
 * The options for startServer from the flags, else the environment, else the defaults.
 * `isRedisUrl`: whether core's connectRedis takes a URL (`redisUrlOf`, from the lazily loaded
 * @warmshower/core/redis), so that a wrong one is refused with the flag's name before any connection.
 */
export function serveOptions(args: ServeArgs, isRedisUrl: (url: string) => boolean): ServeOptions {
  const ttlSeconds = lifetime(args.ttl ?? env('WARMSHOWER_TTL'), '--ttl (or WARMSHOWER_TTL)') ?? limits.defaultTtlSeconds;
  const maxParticipants = args.maxParticipants ?? env('WARMSHOWER_MAX_PARTICIPANTS');
  const logLevel = args.logLevel ?? env('LOG_LEVEL');
  if (logLevel !== undefined && !(logLevels as readonly string[]).includes(logLevel)) {
    throw usage(`--log-level (or LOG_LEVEL) must be one of ${logLevels.join(', ')}, not "${logLevel}".`);
  }
  return {
    port: wholeNumber(args.port ?? env('PORT') ?? 3000, '--port (or PORT)', 0, 65_535),
    host: args.host || env('HOST') || '0.0.0.0',
    redisUrl: redisUrls(args.redisUrl || env('REDIS_URL'), isRedisUrl),
    redisPrefix: redisPrefix(args.redisPrefix),
    ttlSeconds,
    publicUrl: args.publicUrl || env('WARMSHOWER_PUBLIC_URL'),
    // `false`, `true`, a hop count, or addresses and CIDR ranges: the server reads it (SPEC §8).
    trustProxy: (args.trustProxy ?? env('WARMSHOWER_TRUST_PROXY'))?.trim() || undefined,
    maxParticipants:
      maxParticipants === undefined
        ? undefined
        : // A session needs two people for anyone to have someone to write to.
          wholeNumber(maxParticipants, '--max-participants (or WARMSHOWER_MAX_PARTICIPANTS)', limits.minMaxParticipants, limits.maxParticipantsCeiling),
    filter: args.filter,
    logLevel: logLevel as LogLevel | undefined,
  };
}

/** One Redis URL, or the nodes of a cluster as a comma-separated list. */
export function redisUrls(value: string | undefined, isRedisUrl: (url: string) => boolean): string | string[] | undefined {
  if (value === undefined) return undefined;
  const urls = value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (urls.length === 0) throw usage('--redis-url (or REDIS_URL) is empty; give a URL such as redis://127.0.0.1:6379.');
  for (const url of urls) {
    if (!isRedisUrl(url)) {
      throw usage(`--redis-url (or REDIS_URL) must be a redis:// or rediss:// URL (or host:port), not "${hidePassword(url)}".`);
    }
  }
  return urls.length === 1 ? urls[0] : urls;
}

/** A URL quoted in a sentence, its password (between "user:" and "@") shown as ***. */
const hidePassword = (url: string): string => url.replace(/^([^/]*\/\/[^/@:]*:)[^/@]*@/, '$1***@');

/**
 * The key prefix: the flag, else the environment, else the server's default (undefined). An empty
 * variable counts as unset, as everywhere here; an empty flag is typed on purpose, so a mistake.
 */
function redisPrefix(flag: string | undefined): string | undefined {
  if (flag !== undefined && flag.trim() === '') {
    throw usage('--redis-prefix must not be empty; leave it out for the default prefix "ws", or give one such as "shower".');
  }
  return flag ?? env('WARMSHOWER_REDIS_PREFIX');
}

function wholeNumber(value: string | number, flag: string, min: number, max: number): number {
  const n = typedWholeNumber(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

const usage = (sentence: string): CliError => new CliError(sentence, exitCodes.usage);
