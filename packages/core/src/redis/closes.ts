interface Batch {
  /** Per session: per holder, how many of their streams closed. */
  closes: Map<string, Map<string, number>>;
  done: Promise<void>;
  settle: () => void;
}

/**
 * Stream closes gathered until the end of the tick and sent together, one script per session, so
 * that a thousand streams closing at once are a few commands, not a thousand.
 */
export class CloseBatches {
  private batch: Batch | null = null;

  constructor(
    /** Sends one session's closes: `[holder, count, holder, count…]`. */
    private readonly send: (code: string, counts: (string | number)[]) => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Counts one closed stream; resolves once it is counted (or failed: its lease then lapses). */
  add(code: string, holder: string): Promise<void> {
    if (!this.batch) {
      let settle!: () => void;
      const done = new Promise<void>((resolve) => (settle = resolve));
      const batch: Batch = { closes: new Map(), done, settle };
      this.batch = batch;
      setImmediate(() => {
        if (this.batch === batch) void this.flush();
      });
    }
    let holders = this.batch.closes.get(code);
    if (!holders) this.batch.closes.set(code, (holders = new Map()));
    holders.set(holder, (holders.get(holder) ?? 0) + 1);
    return this.batch.done;
  }

  /** Sends what is gathered now (before an open or a heartbeat, which must come after it). */
  flush(): Promise<void> {
    const batch = this.batch;
    if (!batch) return Promise.resolve();
    this.batch = null;
    const sent = Promise.all(
      [...batch.closes].map(([code, holders]) => this.send(code, [...holders].flat()).catch((error: Error) => this.onError(error))),
    ).then(() => undefined);
    void sent.then(batch.settle);
    return sent;
  }
}
