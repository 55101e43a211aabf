import { createRequire } from 'node:module';
import yargs, { type CommandModule } from 'yargs';
import { createCommand } from './commands/create.js';
import { endCommand } from './commands/end.js';
import { joinCommand } from './commands/join.js';
import { listenCommand } from './commands/listen.js';
import { participantsCommand } from './commands/participants.js';
import { sendCommand } from './commands/send.js';
import { serveCommand } from './commands/serve.js';
import { note } from './commands/shared.js';
import { statusCommand } from './commands/status.js';
import { exitCodes } from './exit-codes.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const commands = [
  serveCommand,
  createCommand,
  joinCommand,
  participantsCommand,
  sendCommand,
  listenCommand,
  statusCommand,
  endCommand,
] as CommandModule<object, never>[];
const commandNames = commands.map((c) => String(c.command).split(' ')[0]);

/** The `warmshower` command line (SPEC §5) for the given arguments (without `node` and the script). */
export function buildCli(args: string[]) {
  args = attachValues(args);
  const cli = yargs(args);
  return cli
    .scriptName('warmshower')
    .usage('$0 <command> [options]\n\nAnonymous, appreciative messages for a team, gone when the session ends.')
    .command(commands)
    .demandCommand(1, 'Name a command, e.g. "warmshower serve"; "warmshower --help" lists them.')
    .recommendCommands()
    .strict()
    .example('$0 serve', 'run the app on http://localhost:3000')
    .example('$0 create --json', 'open a session from a script')
    .epilogue(
      'Exit codes: 0 ok, 1 failure (e.g. server unreachable), 2 usage, 3 not found, 4 conflict, 5 unauthorized.\n' +
        'Every command but serve reads WARMSHOWER_URL and WARMSHOWER_TOKEN.',
    )
    .alias('h', 'help')
    .version(version)
    .wrap(Math.min(110, cli.terminalWidth()))
    .fail((message, error) => {
      // Handlers catch their own errors (see `action`), so what lands here is a usage problem.
      if (error && !message) throw error;
      const sentence = (message ?? error?.message ?? 'Those arguments do not fit.').replace(/\.?$/, '.');
      const command = args.find((arg) => commandNames.includes(arg));
      note(sentence.includes('--help') ? sentence : `${sentence} See "warmshower ${command ? `${command} ` : ''}--help".`);
      process.exit(exitCodes.usage);
    });
}

// Tokens are base64url and may start with "-", as may a message; yargs would read those as flags.
const freeTextFlags = new Set(['--token', '--text', '--to', '--name']);

/** `--token -abc` becomes `--token=-abc`, so a value is never mistaken for a flag. */
function attachValues(args: string[]): string[] {
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
