import { WarmshowerClient } from '@warmshower/client';
import { isTtlSeconds, normaliseCode, ttlSentence } from '@warmshower/core/protocol';
import type { Argv } from 'yargs';
import { cliErrorOf, serverHint } from '../errors.js';
import { CliError, exitCodes } from '../exit-codes.js';

/** The options every client command takes (SPEC §5). */
export interface ClientArgs {
  server: string;
  token: string | undefined;
  json: boolean;
}

export interface CodeArgs extends ClientArgs {
  code: string;
}

export interface KeyArgs {
  key: string | undefined;
}

/** An environment variable, unset when empty. */
export const env = (name: string): string | undefined => process.env[name] || undefined;

/**
 * What `--token` is to each command. The story every example tells: `join` prints
 * `export WARMSHOWER_TOKEN=…`, so a member's commands need no flag; the host keeps the host token
 * in `HOST_TOKEN` and passes `--token "$HOST_TOKEN"`, so one shell can be host and member at once.
 */
export const tokens = {
  /** `create` and `join` use none: still accepted (a script may set it for every command), not shown. */
  unused: null,
  member: 'your participant token (join prints it)',
  recipient: 'your participant token, as the recipient of the warm shower (join prints it)',
  memberOrHost: 'your participant token (join prints it), or the host token to do it as the host',
  host: 'the host token (create prints it)',
  hostForProgress: 'the host token (create prints it), to see the progress too; anyone may ask without it',
} as const;

/** Adds `--server`, `--token` (described as `token` says, hidden when `null`) and `--json`, with their environment variables. */
export function withClientOptions<T>(yargs: Argv<T>, token: string | null): Argv<T & ClientArgs> {
  return yargs
    .option('server', {
      type: 'string',
      describe: 'URL of the Warm Shower server (its address, without /api)',
      default: env('WARMSHOWER_URL') ?? 'http://localhost:3000',
      defaultDescription: '$WARMSHOWER_URL or http://localhost:3000',
      requiresArg: true,
    })
    .option('token', {
      type: 'string',
      ...(token === null ? { hidden: true } : { describe: token }),
      default: env('WARMSHOWER_TOKEN'),
      defaultDescription: '$WARMSHOWER_TOKEN',
      requiresArg: true,
    })
    .option('json', {
      type: 'boolean',
      describe: 'print machine-readable JSON instead of text',
      default: false,
    }) as Argv<T & ClientArgs>;
}

/** Adds the CODE positional: six digits kept as a string (leading zeros survive), "123 456" accepted. */
export function withCode<T>(yargs: Argv<T>): Argv<T & { code: string }> {
  return yargs.positional('code', {
    type: 'string',
    describe: 'the six-digit session code',
    demandOption: true,
    coerce: (input: string) => {
      const code = normaliseCode(String(input));
      if (code === null) throw new CliError(`"${String(input)}" is not a session code: a code is six digits, such as 123456.`);
      return code;
    },
  }) as Argv<T & { code: string }>;
}

/** Adds `--key` (SPEC §10): the private key `join` printed for an end-to-end session. */
export function withKey<T>(yargs: Argv<T>, describe: string): Argv<T & KeyArgs> {
  return yargs.option('key', {
    type: 'string',
    describe,
    default: env('WARMSHOWER_KEY'),
    defaultDescription: '$WARMSHOWER_KEY',
    requiresArg: true,
  }) as Argv<T & KeyArgs>;
}

/** A client for the command's `--server` and `--token`. */
export function clientFor(args: ClientArgs): WarmshowerClient {
  try {
    return new WarmshowerClient({ baseUrl: args.server, token: args.token });
  } catch (error) {
    const { message, exitCode } = cliErrorOf(error, { hasToken: Boolean(args.token) });
    throw new CliError(`${message} ${serverHint}`, exitCode);
  }
}

/** Writes one line of data to stdout. */
export const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Writes a JSON document on one line to stdout. */
export const printJson = (value: unknown): void => print(JSON.stringify(value));

/** Writes a note for the person at the terminal to stderr, leaving stdout to data. */
export const note = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Runs a command body; any failure leaves it as a CliError (one sentence, the exit code of SPEC §5). */
export function action<T extends ClientArgs>(body: (args: T) => Promise<void>): (args: T) => Promise<void> {
  return async (args) => {
    try {
      await body(args);
    } catch (error) {
      throw cliErrorOf(error, { hasToken: Boolean(args.token), server: args.server });
    }
  };
}

/** Reads all of stdin as UTF-8 (for `--text -`). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) note('Type the message, then press Ctrl-D on a new line.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A whole number as it was typed (digits only, as a flag or an environment variable gives it),
 * else NaN. Numeric flags are read as strings, so that a sentence can quote what was typed
 * (yargs' `type: 'number'` turns "abc" into NaN), and so that "" or "0x10" is not a number.
 */
export function typedWholeNumber(typed: string | number): number {
  const text = String(typed).trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * `--ttl` as the rules accept it (10 to 86400), or a usage error with core's sentence quoting
 * what was typed; `undefined` when absent. `flag` names where the value came from.
 */
export function lifetime(typed: string | number | undefined, flag = '--ttl'): number | undefined {
  if (typed === undefined) return undefined;
  const seconds = typedWholeNumber(typed);
  if (!isTtlSeconds(seconds)) throw new CliError(`${ttlSentence(flag).replace(/\.$/, '')}, not "${typed}".`, exitCodes.usage);
  return seconds;
}
