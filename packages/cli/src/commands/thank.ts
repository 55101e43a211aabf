import type { CommandModule } from 'yargs';
import { CliError, exitCodes } from '../exit-codes.js';
import { action, clientFor, print, printJson, withClientOptions, withCode, type CodeArgs } from './shared.js';

interface ThankArgs extends CodeArgs {
  messageId: string | undefined;
}

/** `warmshower thank CODE MESSAGE-ID`: a recipient thanks a warm shower; its writer is told, and stays anonymous. */
export const thankCommand: CommandModule<object, ThankArgs> = {
  // The id is optional for yargs only, so that one beginning with "-" can arrive as --message-id (see run.ts).
  command: 'thank <code> [message-id]',
  describe: 'Thank the writer of a warm shower you received (once each); they stay anonymous',
  builder: (yargs) =>
    withClientOptions(withCode(yargs))
      .usage('$0 thank <code> <message-id>\n\nThank the writer of a warm shower you received (once each); they stay anonymous')
      .positional('message-id', {
        type: 'string',
        describe: 'the id "listen" shows after the message (required; it may begin with "-")',
        demandOption: true,
      })
      .example('$0 thank 123456 q3Zx8Lm0Ab_c', 'the writer\'s "listen" says "Someone thanked you for your warm shower to …"') as never,
  handler: action(async (args: ThankArgs) => {
    if (!args.messageId) {
      throw new CliError('Name the warm shower to thank: warmshower thank CODE MESSAGE-ID ("listen" shows each id).', exitCodes.usage);
    }
    const thanked = await clientFor(args).thank(args.code, args.messageId);
    if (args.json) return printJson(thanked);
    print('Thank you sent: the writer sees it, and you still do not learn who they are.');
  }),
};
