// `listen`'s human output: one line per event, with names instead of ids.
import type { EndReason, InboxMessage, ReadyData, StreamEvent } from '@warmshower/core/protocol';
import { keyedSafetyNumber, safetyNumberSentence } from './e2e.js';
import { clockTime, expiresIn, people, showers, terminalSafe } from './format.js';

/** A message's text as listen shows it: the text, `null` when it did not decrypt, `undefined` for no key. */
export type ShownText = string | null | undefined;

/** Turns events into sentences, remembering what earlier events said (names, keys, whom I wrote to). */
export class HumanEvents {
  private readonly names = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  /** My own warm showers (from `ready.sent`): message id → recipient id, to name whom a thanks is for. */
  private readonly sentTo = new Map<string, string>();
  private me: string | null = null;
  private complete = false;
  private encrypted = false;
  private lastJoined: string | null = null;

  constructor(
    private readonly code: string,
    private readonly hasKey: boolean,
  ) {}

  /** The lines for one event; `quiet` for the `ready` of a reconnection (nothing new to say). */
  async lines(event: StreamEvent, quiet: boolean, text: ShownText): Promise<string[]> {
    switch (event.event) {
      case 'ready':
        return this.ready(event.data, quiet);
      case 'participant-joined': {
        const name = terminalSafe(event.data.displayName);
        this.names.set(event.data.id, name);
        if (event.data.publicKey) this.keys.set(event.data.id, event.data.publicKey);
        this.lastJoined = name;
        // A member who had written to everyone hears of the newcomer in `incomplete`, which follows.
        const lines = this.complete ? [] : [`${name} joined.`];
        if (this.encrypted) lines.push(`The safety number is now ${await this.safetyNumber()}: read it aloud again.`);
        return lines;
      }
      case 'presence':
        if (event.data.id === this.me) return [];
        return [`${this.name(event.data.id)} is ${event.data.online ? 'online' : 'offline'}.`];
      case 'message':
        return [this.message(event.id, event.data, text)];
      case 'complete':
        this.complete = true;
        return [`You have written to everyone (${showers(event.data.sentCount)}): thank you!`];
      case 'incomplete':
        this.complete = false;
        return [`${this.lastJoined ?? 'Someone new'} joined: you have ${event.data.remaining} more to write.`];
      case 'progress':
        return [`Progress: ${event.data.sent} of ${showers(event.data.possible)} sent.`];
      case 'revealed':
        return [this.me ? 'The host revealed the warm showers: here are yours.' : 'The warm showers are revealed.'];
      case 'expiring':
        return [`The session ends at ${clockTime(event.data.expiresAt)}; save your warm showers now.`];
      case 'expiry-changed':
        return [`The host moved the end: the session now ${expiresIn(event.data.expiresAt)} (at ${clockTime(event.data.expiresAt)}).`];
      case 'thanked': {
        const to = this.sentTo.get(event.data.id);
        return [`Someone thanked you for ${to === undefined ? 'one of your warm showers' : `your warm shower to ${this.name(to)}`}.`];
      }
      case 'session-ended':
        // A newer server may give a reason this CLI does not know: the plainest sentence then.
        return [ending[event.data.reason] ?? ending.ended];
      default:
        return [];
    }
  }

  private async ready(data: ReadyData, quiet: boolean): Promise<string[]> {
    for (const p of data.participants) {
      this.names.set(p.id, terminalSafe(p.displayName));
      if (p.publicKey) this.keys.set(p.id, p.publicKey);
    }
    for (const sent of data.sent ?? []) this.sentTo.set(sent.id, sent.to);
    this.me = 'id' in data.you ? data.you.id : null;
    this.complete = data.complete;
    this.encrypted = data.encryption === 'e2e';
    if (quiet) return [];
    const who = this.me ? this.name(this.me) : 'the host';
    const lines = [
      `Listening to session ${this.code} as ${who}: ${people(data.participants.length)}, it ${expiresIn(data.expiresAt)}. Ctrl-C stops.`,
    ];
    if (data.delivery === 'reveal' && !data.revealed) {
      lines.push(
        this.me
          ? 'Reveal mode: warm showers are held until the host reveals them; then yours arrive all at once.'
          : `Reveal mode: the warm showers are held until you run "warmshower reveal ${this.code}".`,
      );
    }
    if (this.encrypted) {
      if (this.keys.size > 0) lines.push(safetyNumberSentence(await this.safetyNumber()));
      if (this.me && !this.hasKey) lines.push('This session is end-to-end encrypted: pass --key (or set WARMSHOWER_KEY) to read your warm showers.');
    }
    if (this.me) lines.push(`To thank a warm shower: warmshower thank ${this.code} ID (the id follows each message).`);
    return lines;
  }

  private message(id: string, data: InboxMessage, text: ShownText): string {
    const body =
      data.text !== undefined
        ? `"${terminalSafe(data.text)}"`
        : text
          ? `"${terminalSafe(text)}"`
          : text === null
            ? '[could not be decrypted]'
            : '[encrypted: pass --key to read it]';
    return `[${clockTime(data.receivedAt)}] ${body} — Anonymous (id ${terminalSafe(id)}${data.thanked ? ', thanked' : ''})`;
  }

  private safetyNumber(): Promise<string> {
    return keyedSafetyNumber([...this.keys].map(([id, publicKey]) => ({ id, publicKey })));
  }

  private name(id: string): string {
    return this.names.get(id) ?? 'Someone';
  }
}

const ending: Record<EndReason, string> = {
  ended: 'The host ended the session; everything in it is deleted.',
  expired: 'The session has expired; everything in it is deleted.',
  lost: 'The server no longer has this session (it was ended while this listener was away, or the server restarted without keeping its data); nothing more will arrive.',
};
