import type { Argv } from 'yargs';
import { WarmshowerClient } from '../client.js';
import { CliError, exitCodeOf, exitCodes } from '../exit-codes.js';

/** The options every client command takes (SPEC §5). */
export interface ClientArgs {
  server: string;
  token: string | undefined;
  json: boolean;
}

export interface CodeArgs extends ClientArgs {
  code: string;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

/** Adds `--server`, `--token` and `--json`, with their environment variables. */
export function withClientOptions<T>(yargs: Argv<T>): Argv<T & ClientArgs> {
  return yargs
    .option('server', {
      type: 'string',
      describe: 'URL of the Warm Shower server',
      default: env('WARMSHOWER_URL') ?? 'http://localhost:3000',
      defaultDescription: '$WARMSHOWER_URL or http://localhost:3000',
      requiresArg: true,
    })
    .option('token', {
      type: 'string',
      describe: 'your participant token, or the host token',
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

/** Adds the CODE positional, kept as a string so that leading zeros survive. */
export function withCode<T>(yargs: Argv<T>): Argv<T & { code: string }> {
  return yargs.positional('code', {
    type: 'string',
    describe: 'the six-digit session code',
    demandOption: true,
  }) as Argv<T & { code: string }>;
}

/** A client for the command's `--server` and `--token`. */
export const clientFor = (args: ClientArgs): WarmshowerClient =>
  new WarmshowerClient({ server: args.server, token: args.token });

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

/**
 * Runs a command body and turns a failure into one sentence on stderr and the exit code of
 * SPEC §5, so that yargs never sees a rejected handler (it would print the help).
 */
export function action<T>(body: (args: T) => Promise<void>): (args: T) => Promise<void> {
  return async (args) => {
    try {
      await body(args);
    } catch (error) {
      note(sentenceOf(error));
      if (process.env.WARMSHOWER_DEBUG && error instanceof Error && error.stack) note(error.stack);
      process.exitCode = exitCodeOf(error);
    }
  };
}

function sentenceOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return `Something went wrong: ${String(error)}.`;
}

/** Reads all of stdin as UTF-8 (for `--text -`). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) note('Type the message, then press Ctrl-D on a new line.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A number flag that must be a whole number, as a usage error otherwise. */
export function wholeNumber(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw new CliError(`${flag} must be a whole number.`, exitCodes.usage);
  return value;
}
