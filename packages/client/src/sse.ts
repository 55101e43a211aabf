import { streamEventNames, type StreamEvent, type StreamEventName } from '@warmshower/core/protocol';
import { EventSourceParserStream } from 'eventsource-parser/stream';

/** How reading one event stream's body came to an end. */
export type Reading = { kind: 'done' } | { kind: 'stopped' } | { kind: 'error'; error: unknown };

const known = new Set<string>(streamEventNames);

/** Far above any real event (a `ready` of 1000 people is about 150 KB); a runaway line errors the stream. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * Reads an SSE body (SPEC §3 framing: `event:`, `id:` on messages, JSON `data:`, `: ping`) into
 * typed events. Unknown event names and data that is not a JSON object are skipped, so a newer
 * server's events do not break an older client. `onBytes` runs for every chunk, pings included;
 * `deliver` returns true to stop reading.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onBytes: () => void,
  deliver: (event: StreamEvent) => boolean,
): Promise<Reading> {
  const decoder = new TextDecoder();
  const reader = body
    .pipeThrough(
      // Decodes UTF-8 across chunk boundaries (what TextDecoderStream does), noting each chunk.
      new TransformStream<Uint8Array, string>({
        transform(chunk, controller) {
          onBytes();
          const text = decoder.decode(chunk, { stream: true });
          if (text) controller.enqueue(text);
        },
        flush(controller) {
          const text = decoder.decode();
          if (text) controller.enqueue(text);
        },
      }),
    )
    .pipeThrough(new EventSourceParserStream({ maxBufferSize: MAX_EVENT_CHARS }))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { kind: 'done' };
      const event = typed(value.event, value.id, value.data);
      if (event && deliver(event)) return { kind: 'stopped' };
    }
  } catch (error) {
    return { kind: 'error', error };
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** One SSE event as a StreamEvent, or null when it is not one of the API's. */
function typed(name: string | undefined, sseId: string | undefined, text: string): StreamEvent | null {
  if (name === undefined || !known.has(name)) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  if (name === 'message') {
    const id = sseId || (data as { id?: unknown }).id;
    if (typeof id !== 'string' || id === '') return null;
    return { event: 'message', id, data } as StreamEvent;
  }
  return { event: name as StreamEventName, data } as StreamEvent;
}
