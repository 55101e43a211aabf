import { generateKeyPair } from '@warmshower/client/e2e';
import type { CommandModule } from 'yargs';
import { expiresIn, terminalSafe } from '../format.js';
import { action, clientFor, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

interface JoinArgs extends CodeArgs {
  name: string | undefined;
}

/** `warmshower join CODE [--name NAME]`: joins a session and prints the participant's id and token (and key). */
export const joinCommand: CommandModule<object, JoinArgs> = {
  command: 'join <code>',
  describe: 'Join a session; prints your id and your token (and, end to end, your private key)',
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.unused)
      .option('name', { type: 'string', describe: 'your display name (a friendly one is made up if absent)', requiresArg: true })
      .example('$0 join 123456 --name Ada', 'join as "Ada"')
      .example('export WARMSHOWER_TOKEN=$($0 join 123456 --json | jq -r .token)', 'keep the token for the next commands')
      .example('$0 join 123456 --json', 'in an end-to-end session: {"id","token","key",…}; keep "key" as WARMSHOWER_KEY') as never,
  handler: action(async (args: JoinArgs) => {
    const client = clientFor(args);
    // Asked first, so that an end-to-end session gets a key pair made here, on this device.
    const { encryption } = await client.getSession(args.code);
    const pair = encryption === 'e2e' ? await generateKeyPair() : null;
    const me = await client.join(args.code, {
      ...(args.name === undefined ? {} : { displayName: args.name }),
      ...(pair ? { publicKey: pair.publicKey } : {}),
    });
    if (args.json) return printJson(pair ? { ...me, key: pair.privateKey } : me);
    print(`You joined session ${args.code} as ${terminalSafe(me.displayName)}; it ${expiresIn(me.expiresAt)}.`);
    print(`Your id:    ${me.id}`);
    print(`Your token: ${me.token}`);
    if (pair) print(`Your key:   ${pair.privateKey}`);
    print('');
    if (pair) {
      print('The session is end-to-end encrypted: your private key was made here and never leaves this machine.');
      print('Keep the token and the key to yourself; the next commands take them with --token and --key, or from:');
      print(`  export WARMSHOWER_TOKEN=${me.token}`);
      print(`  export WARMSHOWER_KEY=${pair.privateKey}`);
    } else {
      print('Keep the token to yourself; the next commands take it with --token or from WARMSHOWER_TOKEN:');
      print(`  export WARMSHOWER_TOKEN=${me.token}`);
    }
    print(`  warmshower listen ${args.code}`);
  }),
};
