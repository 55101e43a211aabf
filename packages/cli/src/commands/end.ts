import type { CommandModule } from 'yargs';
import { action, clientFor, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

/** `warmshower end CODE`: the host ends the session and everything in it is deleted. */
export const endCommand: CommandModule<object, CodeArgs> = {
  command: 'end <code>',
  describe: 'End a session now and delete everything in it (host only)',
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.host).example('$0 end 123456 --token "$HOST_TOKEN"', 'every listener gets "session-ended"') as never,
  handler: action(async (args: CodeArgs) => {
    await clientFor(args).endSession(args.code);
    if (args.json) return printJson({ code: args.code, ended: true });
    print(`Session ${args.code} has ended; everything in it is deleted.`);
  }),
};
