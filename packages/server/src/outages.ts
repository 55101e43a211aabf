import type { Logger } from 'pino';

/** How often a store that failed is asked whether it answers again. */
const PROBE_MS = 1000;

/** A failure's cause in a few words: `Error: Connection is closed.`, whatever shape it came in. */
export function causeOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  return String(error);
}

/**
 * Logs a store outage once when it starts (warn; the stack too at debug) and once when the store
 * answers again (info), however many requests fail in between. While it is down, the store is
 * pinged every second (an unref'd timer), so the recovery is seen even with no traffic.
 */
export class OutageLog {
  private since: number | undefined;
  private failures = 0;
  private probe: ReturnType<typeof setInterval> | undefined;
  private probing = false;

  constructor(
    private readonly logger: Logger | null,
    private readonly ping: () => Promise<unknown>,
    private readonly now: () => number,
  ) {}

  /** A request (or, with `request` false, a connection) found the store unreachable. */
  failed(cause: unknown, request = true): void {
    if (request) this.failures += 1;
    if (this.since !== undefined) return;
    this.since = this.now();
    const stack = cause instanceof Error && this.logger?.isLevelEnabled('debug') ? { stack: cause.stack } : {};
    this.logger?.warn({ cause: causeOf(cause), ...stack }, 'store unavailable');
    this.probe = setInterval(() => void this.check(), PROBE_MS);
    this.probe.unref?.();
  }

  /** The store answered (a ping, a ready check). */
  answered(): void {
    if (this.since === undefined) return;
    this.logger?.info({ downMs: this.now() - this.since, failedRequests: this.failures }, 'store available again');
    this.since = undefined;
    this.failures = 0;
    this.stop();
  }

  /** Stops probing (shutdown). */
  stop(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }

  private async check(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.ping();
      this.answered();
    } catch {
      // Still down: said once already.
    } finally {
      this.probing = false;
    }
  }
}
