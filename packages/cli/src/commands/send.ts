import type { CommandModule } from 'yargs';
import type { WarmshowerClient } from '../client.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { showers, terminalSafe } from '../format.js';
import { action, clientFor, print, printJson, readStdin, withClientOptions, withCode, type CodeArgs } from './shared.js';

interface SendArgs extends CodeArgs {
  to: string;
  text: string;
}

/** `warmshower send CODE --to ID-or-NAME --text TEXT`: one warm shower to one person. */
export const sendCommand: CommandModule<object, SendArgs> = {
  command: 'send <code>',
  describe: 'Send your warm shower to one participant (once each)',
  builder: (yargs) =>
    withClientOptions(withCode(yargs))
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
      .example('fortune | $0 send 123456 --to Ada --text -', 'the text from stdin') as never,
  handler: action(async (args: SendArgs) => {
    const client = clientFor(args);
    const text = args.text === '-' ? await readStdin() : args.text;
    const recipient = await resolveRecipient(client, args.code, args.to);
    const receipt = await client.send(args.code, { to: recipient.id, text });
    if (args.json) return printJson(receipt);
    const total = receipt.sentCount + receipt.remaining;
    const name = terminalSafe(recipient.displayName);
    print(
      receipt.complete
        ? `Sent your warm shower to ${name}. You have written to everyone (${showers(receipt.sentCount)}): thank you!`
        : `Sent your warm shower to ${name} (${receipt.sentCount} of ${total} sent, ${receipt.remaining} to go).`,
    );
  }),
};

/** The participant whose id is `to`, or else whose display name is `to` in any case. */
async function resolveRecipient(client: WarmshowerClient, code: string, to: string) {
  const { participants } = await client.participants(code);
  const wanted = to.trim().toLowerCase();
  const found =
    participants.find((p) => p.id === to) ?? participants.find((p) => p.displayName.toLowerCase() === wanted);
  if (!found) {
    throw new CliError(
      `Nobody in session ${code} has the id or name "${terminalSafe(to)}"; "warmshower participants ${code}" lists them.`,
      exitCodes.notFound,
    );
  }
  return found;
}
