import type { CommandModule } from 'yargs';
import { action, clientFor, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

interface ThankArgs extends CodeArgs {
  messageId: string;
}

/**
 * Marks a message id that begins with "-" so that yargs takes it for the positional it is rather
 * than for an option (run.ts adds it, the positional's `coerce` takes it off): an id is base64url,
 * so it never begins with a space itself.
 */
export const dashGuard = ' ';

/** `warmshower thank CODE MESSAGE-ID`: a recipient thanks a warm shower; its writer is told, and stays anonymous. */
export const thankCommand: CommandModule<object, ThankArgs> = {
  command: 'thank <code> <message-id>',
  describe: 'Thank the writer of a warm shower you received (once each); they stay anonymous',
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.recipient)
      .positional('message-id', {
        type: 'string',
        describe: 'the id "listen" shows after the message (it may begin with "-")',
        demandOption: true,
        coerce: (id: string) => (id.startsWith(dashGuard) ? id.slice(dashGuard.length) : id),
      })
      .example('$0 thank 123456 q3Zx8Lm0Ab_c', 'the writer\'s "listen" says "Someone thanked you for your warm shower to …"') as never,
  handler: action(async (args: ThankArgs) => {
    const thanked = await clientFor(args).thank(args.code, args.messageId);
    if (args.json) return printJson(thanked);
    print('Thank you sent: the writer sees it, and you still do not learn who they are.');
  }),
};
