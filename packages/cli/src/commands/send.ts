import { seal } from '@warmshower/client/e2e';
import { checkDisplayName, nameKey, type ParticipantView, type SendBody } from '@warmshower/core/protocol';
import type { CommandModule } from 'yargs';
import { checkOwnKey, keyNeeded } from '../e2e.js';
import { cliErrorOf } from '../errors.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { showers, terminalSafe } from '../format.js';
import {
  action,
  clientFor,
  print,
  printJson,
  readStdin,
  tokens, withClientOptions,
  withCode,
  withKey,
  type CodeArgs,
  type KeyArgs,
} from './shared.js';

interface SendArgs extends CodeArgs, KeyArgs {
  to: string;
  text: string;
}

/** `warmshower send CODE --to ID-or-NAME --text TEXT [--key K]`: one warm shower to one person. */
export const sendCommand: CommandModule<object, SendArgs> = {
  command: 'send <code>',
  describe: 'Send your warm shower to one participant (once each)',
  builder: (yargs) =>
    withKey(withClientOptions(withCode(yargs), tokens.member), 'your private key, in an end-to-end session: the text is encrypted here')
      .option('to', {
        type: 'string',
        describe: "the recipient's id or display name (any case)",
        demandOption: true,
        requiresArg: true,
      })
      .option('text', {
        type: 'string',
        describe: 'the message (1 to 1000 characters); "-" reads it from stdin',
        demandOption: true,
        requiresArg: true,
      })
      .example('$0 send 123456 --to Ada --text "Your reviews taught me a lot."', 'write to Ada')
      .example('fortune | $0 send 123456 --to Ada --text -', 'the text from stdin')
      .example('$0 send 123456 --to Ada --text "Thank you." --key $WARMSHOWER_KEY', 'end to end: sealed for Ada alone') as never,
  handler: action(async (args: SendArgs) => {
    const client = clientFor(args);
    const text = args.text === '-' ? await readStdin() : args.text;
    const [session, list] = await Promise.all([client.getSession(args.code), client.participants(args.code)]);
    const recipient = findRecipient(list.participants, args.code, args.to);
    let body: SendBody = { to: recipient.id, text };
    if (session.encryption === 'e2e') {
      if (!args.key) throw keyNeeded(args.code, 'sending');
      const mine = list.participants.find((p) => p.id === list.me?.id);
      await checkOwnKey(args.key, args.code, mine?.publicKey);
      if (!recipient.publicKey) {
        throw new CliError(`${terminalSafe(recipient.displayName)} has no public key, so nothing can be sealed for them.`);
      }
      // The server sees only ciphertext, so `seal` checks rule 3 here (SPEC §10), with core's sentence.
      const ciphertext = await seal({ code: args.code, recipientId: recipient.id, recipientPublicKey: recipient.publicKey, text });
      body = { to: recipient.id, ciphertext };
    }
    const name = terminalSafe(recipient.displayName);
    const receipt = await client.send(args.code, body).catch((error: unknown) => {
      throw cliErrorOf(error, { hasToken: Boolean(args.token), server: args.server, recipient: name });
    });
    if (args.json) return printJson(receipt);
    const total = receipt.sentCount + receipt.remaining;
    print(
      receipt.complete
        ? `Sent your warm shower to ${name}. You have written to everyone (${showers(receipt.sentCount)}): thank you!`
        : `Sent your warm shower to ${name} (${receipt.sentCount} of ${total} sent, ${receipt.remaining} to go).`,
    );
  }),
};

/** The participant whose id is `to`, or else whose display name is `to` as the rules compare names. */
function findRecipient(participants: ParticipantView[], code: string, to: string): ParticipantView {
  const byId = participants.find((p) => p.id === to);
  if (byId) return byId;
  const name = checkDisplayName(to);
  const wanted = name.ok && name.value !== null ? nameKey(name.value) : null;
  const byName = wanted === null ? undefined : participants.find((p) => nameKey(p.displayName) === wanted);
  if (!byName) {
    throw new CliError(
      `Nobody in session ${code} has the id or name "${terminalSafe(to)}"; "warmshower participants ${code}" lists them.`,
      exitCodes.notFound,
    );
  }
  return byName;
}
