import type { StreamEvent } from '@warmshower/core';
import { noStore } from './guards.js';

const frames = new WeakMap<StreamEvent, string>();

/**
 * One SSE frame: `event:`, `id:` for messages, JSON `data:`. JSON.stringify never emits a line
 * break, and event names and ids are ours (names from a fixed list, ids base64url), so no frame
 * can be split by what it carries. Events that core shares between streams are serialised once.
 */
export function frameOf(event: StreamEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `event: ${event.event}\n${event.event === 'message' ? `id: ${event.id}\n` : ''}data: ${JSON.stringify(event.data)}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

/** The comment that keeps proxies from closing an idle stream. */
export const pingFrame = ': ping\n\n';

/** Headers of every event stream. */
export const streamHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  ...noStore,
  // nginx: deliver each event at once
  'X-Accel-Buffering': 'no',
} as const;
