// The session's live streams through @warmshower/client (Bearer token, resume, backoff), turned
// into actions. Events are handled one at a time, in order, even when one must be decrypted.
import { isWarmshowerClientError, type EventStream } from '@warmshower/client';
import { isUnreadableMessage, open } from '@warmshower/client/e2e';
import type { StreamEvent } from '@warmshower/core/protocol';
import { clientFor } from './paths.js';
import { explain, sessionGone } from './sentences.js';
import type { Action, Source } from './state.js';

export interface StreamsOptions {
  code: string;
  dispatch(action: Action): void;
  /** A stream gave up for good (a refused token, say): the sentence to show. */
  onFailure(sentence: string): void;
}

/** An end-to-end message's text, or null when it does not open. */
async function opened(code: string, me: { id: string; privateKey?: string }, ciphertext: string): Promise<string | null> {
  if (!me.privateKey) return null;
  try {
    return await open({ code, recipientId: me.id, privateKey: me.privateKey, ciphertext });
  } catch (error) {
    if (!isUnreadableMessage(error)) console.error(error);
    return null;
  }
}

/** Opens and closes the host's and the participant's streams of one session. */
export class SessionStreams {
  private readonly open = new Map<Source, EventStream>();
  private closed = false;

  constructor(private readonly options: StreamsOptions) {}

  /** Starts a stream for `source` with `token`; `me` decrypts what comes to a participant. */
  start(source: Source, token: string, me?: { id: string; privateKey?: string }): void {
    if (this.closed || this.open.has(source)) return;
    const { code, dispatch } = this.options;
    let queue = Promise.resolve();
    const handle = async (event: StreamEvent) => {
      if (this.closed) return;
      if (event.event === 'message' && event.data.ciphertext !== undefined) {
        const text = me ? await opened(code, me, event.data.ciphertext) : null;
        if (!this.closed) dispatch({ type: 'event', source, event, opened: text });
        return;
      }
      dispatch({ type: 'event', source, event });
    };
    const stream = clientFor(token).stream(code, {
      onEvent: (event) => {
        queue = queue.then(() => handle(event)).catch((error: unknown) => console.error(error));
      },
      onStatus: (status, detail) => {
        // A refusal (an HTTP error status) says why in a sentence; a dropped connection (0) needs none.
        const refusal = isWarmshowerClientError(detail.error) && detail.error.status >= 400 ? explain(detail.error) : null;
        if (!this.closed) queue = queue.then(() => dispatch({ type: 'status', source, status, refusal }));
      },
    });
    this.open.set(source, stream);
    stream.ended.catch((error: unknown) => {
      if (this.closed) return;
      if (sessionGone(error)) dispatch({ type: 'gone', now: Date.now() });
      else this.options.onFailure(`Live updates stopped: ${explain(error)}`);
    });
  }

  close(): void {
    this.closed = true;
    for (const stream of this.open.values()) stream.close();
    this.open.clear();
  }
}
