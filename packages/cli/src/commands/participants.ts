import type { CommandModule } from 'yargs';
import { participantTable, people, showers } from '../format.js';
import { action, clientFor, print, printJson, withClientOptions, withCode, type CodeArgs } from './shared.js';

/** `warmshower participants CODE`: who is in the session, and whom you have written to. */
export const participantsCommand: CommandModule<object, CodeArgs> = {
  command: 'participants <code>',
  describe: 'List the participants (for members and the host)',
  builder: (yargs) =>
    withClientOptions(withCode(yargs)).example(
      '$0 participants 123456 --token $WARMSHOWER_TOKEN',
      'a table of names, ids and who is online',
    ) as never,
  handler: action(async (args: CodeArgs) => {
    const list = await clientFor(args).participants(args.code);
    if (args.json) return printJson(list);
    if (list.participants.length === 0) {
      print(`Nobody has joined session ${args.code} yet.`);
      return;
    }
    print(participantTable(list.participants, list.me));
    const others = list.participants.length - 1;
    if (list.me) {
      print('');
      print(
        list.me.complete
          ? `You have written to everyone (${showers(list.me.sentTo.length)}): thank you!`
          : `You have sent ${list.me.sentTo.length} of ${showers(others)}.`,
      );
    } else {
      print('');
      print(`${people(list.participants.length)}.`);
    }
  }),
};
