import type { StreamEvent, StreamEventName } from './api-types.js';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

type Handlers = { [E in StreamEventName]?: (data: Extract<StreamEvent, { event: E }>['data']) => void };

const names: StreamEventName[] = ['ready', 'participant-joined', 'presence', 'message', 'complete', 'progress', 'session-ended'];

/**
 * One live stream (SPEC §3) over the browser's EventSource, which reconnects by itself after a
 * network failure and sends `Last-Event-ID`, so the server replays only what was missed. The
 * server knows who we are from the path-scoped cookie it set at create/join: no token in the URL.
 */
export class LiveStream {
  private source: EventSource | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: Handlers,
    private readonly onState: (state: StreamState) => void,
  ) {}

  open(): void {
    if (this.stopped) return;
    this.source?.close();
    const source = new EventSource(this.url, { withCredentials: true });
    this.source = source;
    this.onState('connecting');
    source.onopen = () => this.onState('open');
    source.onerror = () => {
      if (this.stopped || source !== this.source) return;
      // CONNECTING: the browser retries by itself. CLOSED: the server refused the stream.
      this.onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    };
    for (const name of names) {
      source.addEventListener(name, (event) => {
        if (this.stopped || source !== this.source) return;
        let data: unknown;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return; // not ours to show
        }
        if (name === 'session-ended') this.stop(); // the server closes it; don't let the browser retry
        (this.handlers[name] as ((data: unknown) => void) | undefined)?.(data);
      });
    }
  }

  stop(): void {
    this.stopped = true;
    this.source?.close();
    this.source = null;
  }
}
