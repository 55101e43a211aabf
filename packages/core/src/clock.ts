/** Where core reads the time and sets timers, so tests can move time without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `fn` once `now()` has moved on by `ms`, never sooner; the returned function cancels it.
   * Timers must not keep a process alive.
   */
  setTimeout(fn: () => void, ms: number): () => void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // Node's timers run on the event loop's own millisecond clock and often fire a millisecond
    // before Date.now() has reached the time; a rule that checks the time then (the reveal at the
    // warning, a session's end) would find it not yet due. Such a timer waits out the rest.
    const at = Date.now() + Math.max(0, ms);
    let timer: ReturnType<typeof setTimeout>;
    const arm = (wait: number) => {
      // Node caps timers at 2^31-1 ms; sessions last at most a day, far below that.
      timer = setTimeout(() => {
        const left = at - Date.now();
        if (left > 0) arm(left);
        else fn();
      }, wait);
      timer.unref?.();
    };
    arm(Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
