import type { CommandModule } from 'yargs';
import { clockTime, expiresIn, people, showers } from '../format.js';
import { action, clientFor, print, printJson, tokens, withClientOptions, withCode, type CodeArgs } from './shared.js';

/** `warmshower status CODE`: the session's size, kind and expiry, and with the host token its progress. */
export const statusCommand: CommandModule<object, CodeArgs> = {
  command: 'status <code>',
  describe: "Show a session's participants, expiry and (with the host token) progress",
  builder: (yargs) =>
    withClientOptions(withCode(yargs), tokens.hostForProgress).example(
      '$0 status 123456 --token "$HOST_TOKEN"',
      '"Session 123456: 3 participants, expires in 59 min" and "Progress: 4 of 6 warm showers sent."',
    ) as never,
  handler: action(async (args: CodeArgs) => {
    const session = await clientFor(args).getSession(args.code);
    if (args.json) return printJson(session);
    print(
      `Session ${session.code}: ${people(session.participantCount)}, ${expiresIn(session.expiresAt)} (at ${clockTime(session.expiresAt)}).`,
    );
    if (session.delivery === 'reveal') {
      print(
        session.revealed
          ? 'Reveal mode: revealed; warm showers now reach their recipients at once.'
          : `Reveal mode: the warm showers are held until the host runs "warmshower reveal ${session.code}".`,
      );
    }
    if (session.encryption === 'e2e') print('End-to-end encrypted: the server sees no text.');
    if (session.progress) {
      const { sent, possible } = session.progress;
      print(`Progress: ${sent} of ${showers(possible)} sent${possible > 0 && sent === possible ? ': everyone is done!' : '.'}`);
    } else {
      // Without the host token the API leaves progress out; say so rather than let its absence pass unnoticed.
      print('Progress is shown to the host: add --token <host token>.');
    }
  }),
};
