import type { CommandModule } from 'yargs';
import { clockTime, expiresIn } from '../format.js';
import { action, clientFor, lifetime, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

interface ExtendArgs extends CodeArgs {
  ttl: string;
}

/** `warmshower extend CODE --ttl S`: the host sets the session to end S seconds from now. */
export const extendCommand: CommandModule<object, ExtendArgs> = {
  command: 'extend <code>',
  describe: 'Make the session end --ttl seconds from now, sooner or later than planned (host only)',
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.host)
      .option('ttl', {
        type: 'string',
        describe: 'seconds from now until the session ends (10 to 86400): it replaces the time left, it is not added to it',
        demandOption: true,
        requiresArg: true,
      })
      .example('$0 extend 123456 --ttl 1800 --token "$HOST_TOKEN"', 'the session now ends 30 minutes from now, however long it had left') as never,
  handler: action(async (args: ExtendArgs) => {
    const ttlSeconds = lifetime(args.ttl)!;
    const changed = await clientFor(args).extendSession(args.code, ttlSeconds);
    if (args.json) return printJson(changed);
    print(`Session ${changed.code} now ${expiresIn(changed.expiresAt)} (at ${clockTime(changed.expiresAt)}); everyone listening is told.`);
  }),
};
