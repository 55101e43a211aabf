import { errors, guardStore as guard } from '../errors.js';
import { limits } from '../protocol/limits.js';
import type { StreamEvent } from '../protocol/types.js';
import { HOST, type Actor, type SessionRecord } from '../store.js';
import { LiveStream } from './stream.js';
import type { Watches } from './watch.js';

/** An open live stream. Closing it twice is harmless. */
export interface Connection {
  /** Who is listening. */
  readonly you: { id: string } | { host: true };
  close(): Promise<void>;
}

/**
 * Opens a stream for an authenticated participant or host: counts it in the store (5 at most per
 * person), joins the session's watch, reads a snapshot and starts the listener on it. Facts that
 * arrive while the snapshot is read wait in the stream, so nothing falls between the two.
 */
export async function openConnection(
  watches: Watches,
  request: { code: string; session: SessionRecord; actor: Actor; lastEventId: string | null },
  listener: (event: StreamEvent) => void,
): Promise<Connection> {
  const { code, session, actor } = request;
  const { store, clock, readShared, readOwn } = watches.context;
  const me = actor.kind === 'participant' ? actor.participant.id : null;
  const holder = me ?? HOST;
  const watch = await guard(() => watches.acquire(code));
  const stream = new LiveStream(me, session.encryption, listener);
  let opened = false;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stream.closed = true;
      watch.streams.delete(stream);
      if (opened) {
        watch.holderClosed(holder);
        if (!stream.ended) await store.streamClosed(code, holder, clock.now()).catch(() => undefined);
      }
      watches.release(watch);
    })());
  stream.onEnd = () => void close();
  try {
    const now = clock.now();
    const outcome = await guard(() => store.streamOpened(code, holder, now, limits.streamsPerPerson));
    if (outcome === 'no-session') throw errors.sessionNotFound();
    if (outcome === 'too-many') throw errors.tooManyStreams(limits.streamsPerPerson);
    opened = true;
    watch.holderOpened(holder);
    watch.streams.add(stream); // facts from here on wait in the stream until it starts
    const [shared, own] = await guard(() =>
      Promise.all([readShared(code, now), me ? readOwn(code, me, now) : Promise.resolve({ sent: [], inbox: [] })]),
    );
    if (!shared.session) throw errors.sessionNotFound();
    // Field by field: a spread would give each snapshot a hidden class of its own (see views.ts).
    const snapshot = { session: shared.session, people: shared.people, sent: own.sent, inbox: own.inbox };
    watch.begin(stream, snapshot, request.lastEventId, clock.now());
    return { you: me ? { id: me } : { host: true }, close };
  } catch (error) {
    await close();
    throw error;
  }
}
