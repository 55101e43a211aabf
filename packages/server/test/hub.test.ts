import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamHub, type HubStream } from '../src/hub.js';

describe('the stream hub', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const streams = (hub: StreamHub, n: number) =>
    Array.from({ length: n }, () => {
      const stream = { pings: 0, ping: () => void stream.pings++, close: async () => undefined } satisfies HubStream & { pings: number };
      hub.add(stream);
      return stream;
    });

  it('pings every idle stream once a heartbeat, a slice at a time, never all of them at once', () => {
    const hub = new StreamHub({ heartbeatMs: 15_000 });
    const open = streams(hub, 3000);
    const total = () => open.reduce((sum, s) => sum + s.pings, 0);
    let before = 0;
    for (let tick = 1; tick <= 150; tick++) {
      vi.advanceTimersByTime(100);
      expect(total() - before).toBe(20); // a slice every 100 ms
      before = total();
    }
    expect(open.every((s) => s.pings === 1)).toBe(true);
    vi.advanceTimersByTime(15_000);
    expect(open.every((s) => s.pings === 2)).toBe(true);
  });

  it('a stream that left is not pinged, and a new one gets its ping within a heartbeat', () => {
    const hub = new StreamHub({ heartbeatMs: 15_000 });
    const [gone, ...rest] = streams(hub, 30);
    hub.remove(gone!);
    vi.advanceTimersByTime(7_500);
    const [late] = streams(hub, 1);
    vi.advanceTimersByTime(15_000);
    expect(gone!.pings).toBe(0);
    expect(late!.pings).toBe(1);
    expect(rest.every((s) => s.pings >= 1)).toBe(true);
    expect(hub.size).toBe(30);
  });

  it('a heartbeat shorter than a second pings every stream each time', () => {
    const hub = new StreamHub({ heartbeatMs: 40 });
    const open = streams(hub, 5);
    vi.advanceTimersByTime(40);
    expect(open.map((s) => s.pings)).toEqual([1, 1, 1, 1, 1]);
  });
});
