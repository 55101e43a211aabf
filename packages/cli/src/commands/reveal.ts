import type { CommandModule } from 'yargs';
import { action, clientFor, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

/** `warmshower reveal CODE`: the host hands out the held warm showers of a reveal session. */
export const revealCommand: CommandModule<object, CodeArgs> = {
  command: 'reveal <code>',
  describe: 'Deliver the held warm showers of a session created with --reveal (host only)',
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.host).example(
      '$0 reveal 123456 --token "$HOST_TOKEN"',
      'every recipient gets all their warm showers at once',
    ) as never,
  handler: action(async (args: CodeArgs) => {
    const revealed = await clientFor(args).reveal(args.code);
    if (args.json) return printJson(revealed);
    print(`Session ${args.code} is revealed: everyone now has their warm showers, and new ones arrive at once.`);
  }),
};
