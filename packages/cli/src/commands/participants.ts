import type { CommandModule } from 'yargs';
import { keyedSafetyNumber, safetyNumberSentence } from '../e2e.js';
import { participantTable, people, showers } from '../format.js';
import { action, clientFor, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

/** `warmshower participants CODE`: who is in the session, whom you have written to, and the safety number. */
export const participantsCommand: CommandModule<object, CodeArgs> = {
  command: 'participants <code>',
  describe: 'List the participants (for members and the host); end to end, the safety number too',
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.memberOrHost).example(
      '$0 participants 123456',
      'with $WARMSHOWER_TOKEN from join: a table of names, ids, who is online and whom you wrote to',
    ) as never,
  handler: action(async (args: CodeArgs) => {
    const client = clientFor(args);
    const [list, session] = await Promise.all([client.participants(args.code), client.getSession(args.code)]);
    const safetyNumber = session.encryption === 'e2e' ? await keyedSafetyNumber(list.participants) : null;
    if (args.json) return printJson(safetyNumber === null ? list : { ...list, safetyNumber });
    if (list.participants.length === 0) {
      print(`Nobody has joined session ${args.code} yet.`);
      return;
    }
    print(participantTable(list.participants, list.me));
    print('');
    if (list.me) {
      print(
        list.me.complete
          ? `You have written to everyone (${showers(list.me.sentTo.length)}): thank you!`
          : `You have sent ${list.me.sentTo.length} of ${showers(list.participants.length - 1)}.`,
      );
    } else {
      print(`${people(list.participants.length)}.`);
    }
    if (safetyNumber !== null) print(safetyNumberSentence(safetyNumber));
  }),
};
