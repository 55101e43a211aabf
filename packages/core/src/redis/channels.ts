import type { SessionFact } from '../store.js';
import { storedMessage } from '../store.js';
import { createSubscriber, type Connection, type Subscriber } from './subscriber.js';

interface Channel {
  listeners: Set<(fact: SessionFact) => void>;
  /** Settles when Redis has confirmed the subscription. */
  ready: Promise<unknown>;
}

/**
 * The sessions' event channels a store listens to: one subscription per channel however many
 * listeners it has, facts parsed once and handed to each, and `resync` to all of them when the
 * subscription was interrupted (what was published meanwhile is lost).
 */
export class Channels {
  private subscriber: Subscriber | null = null;
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  constructor(
    private readonly client: Connection,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Listens to channel `name`; the returned function stops listening. */
  async subscribe(name: string, listener: (fact: SessionFact) => void): Promise<() => Promise<void>> {
    const subscriber = this.connection();
    let channel = this.channels.get(name);
    if (!channel) {
      const fresh: Channel = { listeners: new Set(), ready: subscriber.subscribe(name) };
      fresh.ready.catch(() => this.release(name, fresh));
      this.channels.set(name, (channel = fresh));
    }
    // Each subscription gets its own wrapper, so the same function may subscribe twice.
    const entry = (fact: SessionFact) => listener(fact);
    channel.listeners.add(entry);
    try {
      await channel.ready;
    } catch (error) {
      channel.listeners.delete(entry);
      throw error;
    }
    const subscribed = channel;
    return async () => {
      if (!subscribed.listeners.delete(entry)) return;
      if (subscribed.listeners.size === 0) await this.release(name, subscribed);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    await this.subscriber?.close();
  }

  private connection(): Subscriber {
    if (this.closed) throw new Error('This RedisStore is closed.');
    this.subscriber ??= createSubscriber(this.client, {
      message: (name, payload) => this.dispatch(name, payload),
      resumed: () => {
        for (const name of this.channels.keys()) this.dispatchFact(name, { type: 'resync' });
      },
      error: (error) => this.onError(error),
    });
    return this.subscriber;
  }

  /** A message holds one fact, or several in order as an array (lua/common.lua `publish_all`). */
  private dispatch(name: string, payload: string): void {
    let parsed: SessionFact | SessionFact[];
    try {
      parsed = JSON.parse(payload) as SessionFact | SessionFact[];
    } catch {
      return;
    }
    for (const fact of Array.isArray(parsed) ? parsed : [parsed]) {
      if (fact.type === 'message') fact.message = storedMessage(fact.message);
      this.dispatchFact(name, fact);
    }
  }

  private dispatchFact(name: string, fact: SessionFact): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    for (const listener of [...channel.listeners]) {
      try {
        listener(fact);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }

  /** Forgets a channel whose last listener left (or whose subscription failed) and unsubscribes. */
  private async release(name: string, channel: Channel): Promise<void> {
    if (this.channels.get(name) !== channel) return;
    this.channels.delete(name);
    // Redis answers in order, so a subscription issued after this one still wins.
    await this.subscriber?.unsubscribe(name);
  }
}
