import { createRequire } from 'node:module';
import yargs, { type CommandModule } from 'yargs';
import { createCommand } from './commands/create.js';
import { endCommand } from './commands/end.js';
import { extendCommand } from './commands/extend.js';
import { joinCommand } from './commands/join.js';
import { listenCommand } from './commands/listen.js';
import { participantsCommand } from './commands/participants.js';
import { revealCommand } from './commands/reveal.js';
import { sendCommand } from './commands/send.js';
import { serveCommand } from './commands/serve.js';
import { note } from './commands/shared.js';
import { statusCommand } from './commands/status.js';
import { dashGuard, thankCommand } from './commands/thank.js';
import { cliErrorOf } from './errors.js';
import { CliError, exitCodes } from './exit-codes.js';
import { usageSentence } from './usage.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const commands = [
  serveCommand,
  createCommand,
  joinCommand,
  participantsCommand,
  sendCommand,
  listenCommand,
  statusCommand,
  revealCommand,
  extendCommand,
  thankCommand,
  endCommand,
] as CommandModule<object, never>[];
const commandNames = commands.map((c) => String(c.command).split(' ')[0]!);

/**
 * Runs the `warmshower` command line (SPEC §5) on `args` (what follows `node` and the script) and
 * resolves with its exit code: data went to stdout, a failure to stderr as one sentence. For
 * `serve` it resolves once the server listens; the server then runs until SIGINT or SIGTERM.
 */
export async function run(args: readonly string[]): Promise<number> {
  const prepared = attachValues(args);
  const command = prepared.find((arg) => commandNames.includes(arg));
  const given = command === 'thank' ? idAfterDashes(prepared) : prepared;
  const cli = yargs(given);
  try {
    await cli
      .scriptName('warmshower')
      // English whatever the system's locale, like every other sentence here (and so usage.ts can read it).
      .locale('en')
      .usage('$0 <command> [options]\n\nAnonymous, appreciative messages for a team, gone when the session ends.')
      .command(commands)
      .demandCommand(1, 'Name a command, e.g. "warmshower serve"; "warmshower --help" lists them.')
      .recommendCommands()
      .strict()
      .check(onceEach, true)
      .example('$0 serve', 'run the app on http://localhost:3000')
      .example('$0 create --json', 'open a session from a script')
      .epilogue(
        'Exit codes: 0 ok, 1 failure (e.g. server unreachable), 2 usage, 3 not found, 4 conflict, 5 unauthorized.\n' +
          'Every command but serve reads WARMSHOWER_URL. Tokens: join prints yours as "export WARMSHOWER_TOKEN=…", which the\n' +
          'member commands read; the host commands (status for progress, reveal, extend, end) take --token "$HOST_TOKEN",\n' +
          'the host token create printed. send and listen read WARMSHOWER_KEY.',
      )
      .alias('h', 'help')
      .version(version)
      .wrap(Math.min(110, cli.terminalWidth()))
      .exitProcess(false)
      .fail((message, error) => {
        // A failing handler arrives with its error and no message; the rest are usage problems.
        if (error && !message) throw error;
        const declared = commands.find((c) => String(c.command).split(' ')[0] === command)?.command;
        const said = usageSentence(message ?? error?.message ?? 'Those arguments do not fit.', declared === undefined ? undefined : String(declared), given);
        const sentence = /[.?!]$/.test(said) ? said : `${said}.`;
        const see = `See "warmshower ${command ? `${command} ` : ''}--help".`;
        throw new CliError(sentence.includes('--help') ? sentence : `${sentence} ${see}`, exitCodes.usage);
      })
      .parseAsync();
    return exitCodes.ok;
  } catch (error) {
    const failure = cliErrorOf(error, { hasToken: true });
    note(failure.message);
    if (process.env.WARMSHOWER_DEBUG && error instanceof Error && error.stack) note(error.stack);
    return failure.exitCode;
  }
}

/**
 * No option is declared to take several values, so one given twice is a mistake (yargs would
 * make it a list: "--ttl 60 --ttl 70" read as "60,70", "--to a --to b" as one recipient "a,b").
 * The values are not quoted: one may be a token.
 */
function onceEach(argv: Record<string, unknown>): true {
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || /[A-Z]/.test(key) || !Array.isArray(value)) continue;
    const times = value.length === 2 ? 'twice' : `${value.length} times`;
    throw new Error(`--${key} was given ${times}; give it once`);
  }
  return true;
}

// Tokens and keys are base64url and may start with "-", as may a message; yargs would read those as flags.
const freeTextFlags = new Set(['--token', '--key', '--text', '--to', '--name']);

/** `--token -abc` becomes `--token=-abc`, so a value is never mistaken for a flag. */
function attachValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (freeTextFlags.has(arg) && next !== undefined) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** `thank`'s options that take the next argument as their value (a token may begin with "-" too). */
const thankValued = new Set(['--server', '--token']);
const thankOptions = new Set([...thankValued, '--json', '--no-json', '--help', '-h', '--version']);

/**
 * A message id may start with "-" too: in `thank`, the first argument that is neither one of its
 * options nor an option's value is the id, and so is what follows `--`; either is marked with
 * `dashGuard` so that yargs reads it as the positional it is. `--message-id=ID` still works.
 */
function idAfterDashes(args: string[]): string[] {
  const out = [...args];
  const dashes = out.indexOf('--');
  if (dashes !== -1) {
    out.splice(dashes, 1);
    for (let i = dashes; i < out.length; i++) if (out[i]!.startsWith('-')) out[i] = dashGuard + out[i];
    return out;
  }
  const named = out.findIndex((arg) => arg === '--message-id' || arg.startsWith('--message-id='));
  if (named !== -1) {
    const id = out[named] === '--message-id' ? (out.splice(named + 1, 1)[0] ?? '') : out[named]!.slice('--message-id='.length);
    out.splice(named, 1);
    // Last, so that it follows the code wherever it was written.
    return [...out, dashGuard + id];
  }
  const i = out.findIndex(
    (arg, j) => arg.startsWith('-') && arg !== '-' && !thankOptions.has(arg.split('=')[0]!) && !thankValued.has(out[j - 1]!),
  );
  if (i !== -1) out[i] = dashGuard + out[i];
  return out;
}
