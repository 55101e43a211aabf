import { readFile } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';

describe('systemClock', () => {
  it('never calls a timer before its time by the clock rules read (Node’s own timers often do, by a millisecond)', async () => {
    const early: number[] = [];
    let fired = 0;
    // Timers set from I/O callbacks, as a server sets them, are the ones Node fires early.
    for (let round = 0; round < 6; round++) {
      await new Promise<void>((done) =>
        readFile(import.meta.filename, () => {
          let left = 50;
          for (let i = 0; i < 50; i++) {
            const ms = 1 + (i % 7);
            const at = Date.now() + ms;
            systemClock.setTimeout(() => {
              fired++;
              if (Date.now() < at) early.push(at - Date.now());
              if (--left === 0) done();
            }, ms);
          }
        }),
      );
    }
    expect(fired).toBe(300);
    expect(early).toEqual([]);
  });

  it('a cancelled timer never fires', async () => {
    let calls = 0;
    const cancel = systemClock.setTimeout(() => calls++, 5);
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(0);
  });
});
