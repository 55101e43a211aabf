import type { CommandModule } from 'yargs';
import { expiresIn, terminalSafe } from '../format.js';
import { action, clientFor, print, printJson, withClientOptions, withCode, type CodeArgs } from './shared.js';

interface JoinArgs extends CodeArgs {
  name: string | undefined;
}

/** `warmshower join CODE [--name NAME]`: joins a session and prints the participant's id and token. */
export const joinCommand: CommandModule<object, JoinArgs> = {
  command: 'join <code>',
  describe: 'Join a session; prints your id and your token',
  builder: (yargs) =>
    withClientOptions(withCode(yargs))
      .option('name', { type: 'string', describe: 'your display name (a friendly one is made up if absent)', requiresArg: true })
      .example('$0 join 123456 --name Ada', 'join as "Ada"')
      .example('export WARMSHOWER_TOKEN=$($0 join 123456 --json | jq -r .token)', 'keep the token for the next commands') as never,
  handler: action(async (args: JoinArgs) => {
    const me = await clientFor(args).join(args.code, args.name);
    if (args.json) return printJson(me);
    print(`You joined session ${args.code} as ${terminalSafe(me.displayName)}; it ${expiresIn(me.expiresAt)}.`);
    print(`Your id:    ${me.id}`);
    print(`Your token: ${me.token}`);
    print('');
    print('Keep the token to yourself; the next commands take it with --token or from WARMSHOWER_TOKEN:');
    print(`  export WARMSHOWER_TOKEN=${me.token}`);
    print(`  warmshower listen ${args.code}`);
  }),
};
