import { isUnreadableMessage, open } from '@warmshower/client/e2e';
import type { StreamEvent } from '@warmshower/core/protocol';
import type { CommandModule } from 'yargs';
import { checkOwnKey } from '../e2e.js';
import { HumanEvents, type ShownText } from '../events.js';
import { duration } from '../format.js';
import { action, clientFor, note, print, printJson, tokens, withClientOptions, withCode, withKey, type CodeArgs, type KeyArgs } from './shared.js';

type ListenArgs = CodeArgs & KeyArgs;

/** `warmshower listen CODE [--key K]`: one line per live event until the session ends. */
export const listenCommand: CommandModule<object, ListenArgs> = {
  command: 'listen <code>',
  describe: 'Print live events, one per line, until the session ends',
  builder: (yargs) =>
    withKey(withClientOptions(withCode(yargs), tokens.memberOrHost), 'your private key, in an end-to-end session: messages are decrypted here')
      .example('$0 listen 123456', 'with $WARMSHOWER_TOKEN from join: [21:40] "Thank you for the pairing." — Anonymous (id q3Zx8Lm0Ab_c)')
      .example('$0 listen 123456 --token "$HOST_TOKEN"', 'as the host: joins, presence and progress')
      .example(
        "$0 listen 123456 --json | jq -r 'select(.event == \"message\") | .data.text'",
        'NDJSON: {"event":"message","id":"…","data":{"id":"…","text":"…","receivedAt":"…"}}',
      )
      .example('$0 listen 123456 --key $WARMSHOWER_KEY', 'end to end: decrypts each message and shows the safety number') as never,
  handler: action(async (args: ListenArgs) => {
    const human = new HumanEvents(args.code, Boolean(args.key));
    const reader = new Reader(args);
    // Events are handled one after another (decrypting takes a moment), in the order they came.
    let queue = Promise.resolve();
    let failure: unknown;
    let away = false;
    const stream = clientFor(args).stream(args.code, {
      failFast: true,
      onEvent: (event) => {
        const quiet = away && event.event === 'ready';
        if (event.event === 'ready') away = false;
        queue = queue.then(async () => {
          if (failure !== undefined) return;
          try {
            const text = await reader.read(event);
            if (args.json) printJson(reader.withText(event, text));
            else for (const line of await human.lines(event, quiet, text)) print(line);
          } catch (error) {
            failure = error;
            stream.close();
          }
        });
      },
      onStatus: (status, detail) => {
        if (status === 'reconnecting') {
          away = true;
          const why = (detail.error?.message ?? `The connection to ${args.server} dropped.`).replace(/\.$/, '');
          note(`${why}; reconnecting in ${duration(Math.max(1, Math.round((detail.delayMs ?? 0) / 1000)))}…`);
        } else if (status === 'open' && away) note('Reconnected.');
      },
    });
    try {
      await stream.ended;
    } finally {
      await queue;
    }
    if (failure !== undefined) throw failure;
  }),
};

/** What this listener can read: its own id (from `ready`) and, end to end, its key. */
class Reader {
  private me: string | null = null;

  constructor(private readonly args: ListenArgs) {}

  /** The text of a message that came encrypted: decrypted with --key, `null` when it does not open. */
  async read(event: StreamEvent): Promise<ShownText> {
    const { key, code } = this.args;
    if (event.event === 'ready') {
      const you = event.data.you;
      this.me = 'id' in you ? you.id : null;
      if (key && this.me && event.data.encryption === 'e2e') {
        await checkOwnKey(key, code, event.data.participants.find((p) => p.id === this.me)?.publicKey);
      }
      return undefined;
    }
    if (event.event !== 'message' || event.data.ciphertext === undefined || !key || !this.me) return undefined;
    try {
      return await open({ code, recipientId: this.me, privateKey: key, ciphertext: event.data.ciphertext });
    } catch (error) {
      if (isUnreadableMessage(error)) return null;
      throw error;
    }
  }

  /** The event as the API gave it, plus `data.text` for a message decrypted here. */
  withText(event: StreamEvent, text: ShownText): StreamEvent | object {
    return typeof text === 'string' && event.event === 'message' ? { ...event, data: { ...event.data, text } } : event;
  }
}
