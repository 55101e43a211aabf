import type { StreamEvent } from '@warmshower/core';
import type { CommandModule } from 'yargs';
import { clockTime, duration, expiresIn, people, showers, terminalSafe } from '../format.js';
import { listenToSession } from '../listen.js';
import { action, clientFor, note, print, printJson, withClientOptions, withCode, type CodeArgs } from './shared.js';

/** `warmshower listen CODE`: one line per live event until the session ends. */
export const listenCommand: CommandModule<object, CodeArgs> = {
  command: 'listen <code>',
  describe: 'Print live events, one a line, until the session ends',
  builder: (yargs) =>
    withClientOptions(withCode(yargs))
      .example('$0 listen 123456 --token $WARMSHOWER_TOKEN', '[21:40] "Thank you for the pairing." — Anonymous')
      .example(
        "$0 listen 123456 --json | jq -r 'select(.event == \"message\") | .data.text'",
        'NDJSON: {"event":"message","id":"…","data":{"id":"…","text":"…","receivedAt":"…"}}',
      ) as never,
  handler: action(async (args: CodeArgs) => {
    const human = new HumanEvents(args.code);
    let reconnecting = false;
    const listening = listenToSession(clientFor(args), args.code, {
      onEvent: (event) => {
        if (args.json) printJson(event);
        else {
          const line = human.line(event, reconnecting);
          if (line !== null) print(line);
        }
        if (event.event === 'ready') reconnecting = false;
      },
      onReconnecting: (delayMs) => {
        reconnecting = true;
        note(`The connection to ${args.server} dropped; reconnecting in ${duration(Math.max(1, Math.round(delayMs / 1000)))}…`);
      },
      onReconnected: () => note('Reconnected.'),
    });
    await listening.ended;
  }),
};

/** Turns events into sentences, remembering names so that ids never reach the reader. */
class HumanEvents {
  private readonly names = new Map<string, string>();
  private me: string | null = null;

  constructor(private readonly code: string) {}

  line(event: StreamEvent, reconnected: boolean): string | null {
    switch (event.event) {
      case 'ready': {
        for (const p of event.data.participants) this.names.set(p.id, terminalSafe(p.displayName));
        if (reconnected) return null;
        const you = event.data.you;
        this.me = 'id' in you ? you.id : null;
        const who = this.me ? this.name(this.me) : 'the host';
        return `Listening to session ${this.code} as ${who}: ${people(event.data.participants.length)}, it ${expiresIn(event.data.expiresAt)}. Ctrl-C stops.`;
      }
      case 'participant-joined':
        this.names.set(event.data.id, terminalSafe(event.data.displayName));
        return `${this.name(event.data.id)} joined.`;
      case 'presence':
        if (event.data.id === this.me) return null;
        return `${this.name(event.data.id)} is ${event.data.online ? 'online' : 'offline'}.`;
      case 'message':
        return `[${clockTime(event.data.receivedAt)}] "${terminalSafe(event.data.text ?? "")}" — Anonymous`;
      case 'complete':
        return `You have written to everyone (${showers(event.data.sentCount)}): thank you!`;
      case 'progress':
        return `Progress: ${event.data.sent} of ${showers(event.data.possible)} sent.`;
      case 'session-ended':
        return event.data.reason === 'expired'
          ? 'The session has expired; everything in it is deleted.'
          : 'The host ended the session; everything in it is deleted.';
      default:
        return null;
    }
  }

  private name(id: string): string {
    return this.names.get(id) ?? 'Someone';
  }
}
