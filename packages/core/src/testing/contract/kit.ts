import { it } from 'vitest';
import type { Store } from '../../store.js';
import type { StreamEvent } from '../../protocol/types.js';
import { Warmshower, type Connection, type WarmshowerOptions } from '../../warmshower.js';
import type { ManualClock } from '../manual-clock.js';

/** What every group of the contract uses; `store`, `clock` and `ws` are fresh for each test. */
export interface ContractKit {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly ws: Warmshower;
  /** A Warmshower with other options over the same store and clock. */
  rules(options: Omit<WarmshowerOptions, 'store' | 'clock'>): Warmshower;
  /** Registers a test, or a skipped one whose name carries the store's reason. */
  test(title: string, body: () => Promise<void>): void;
  /** Opens a stream and collects its events. */
  listen(code: string, token: string, lastEventId?: string, rules?: Warmshower): Promise<Listening>;
  /** Waits until `check` holds: stores may deliver facts asynchronously (pub/sub). */
  eventually(check: () => void, ms?: number): Promise<void>;
  /** A session of Ada, Bo and Cy. */
  threeOfUs(body?: Record<string, unknown>): Promise<Party>;
}

export interface Listening {
  events: StreamEvent[];
  connection: Connection;
}

export interface Party {
  session: Awaited<ReturnType<Warmshower['createSession']>>;
  ada: Awaited<ReturnType<Warmshower['join']>>;
  bo: Awaited<ReturnType<Warmshower['join']>>;
  cy: Awaited<ReturnType<Warmshower['join']>>;
}

export const names = (events: StreamEvent[]): string[] => events.map((e) => e.event);

/** The ids of the `message` events, in order. */
export const messageIds = (events: StreamEvent[]): string[] =>
  events.flatMap((e) => (e.event === 'message' ? [e.id] : []));

export function makeKit(
  state: () => { store: Store; clock: ManualClock; ws: Warmshower; connections: Connection[] },
  skip: Record<string, string>,
): ContractKit {
  const kit: ContractKit = {
    get store() {
      return state().store;
    },
    get clock() {
      return state().clock;
    },
    get ws() {
      return state().ws;
    },
    rules: (options) => new Warmshower({ ...options, store: state().store, clock: state().clock }),
    test(title, body) {
      const reason = skip[title];
      if (reason) it.skip(`${title} (skipped: ${reason})`, body);
      else it(title, body);
    },
    async listen(code, token, lastEventId, rules) {
      const events: StreamEvent[] = [];
      const connection = await (rules ?? state().ws).connect(code, token, { lastEventId: lastEventId ?? null }, (e) => events.push(e));
      state().connections.push(connection);
      return { events, connection };
    },
    async eventually(check, ms = 3000) {
      const deadline = Date.now() + ms;
      for (;;) {
        try {
          check();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    },
    async threeOfUs(body = { ttlSeconds: 600 }) {
      const ws = state().ws;
      const session = await ws.createSession(body);
      const ada = await ws.join(session.code, { displayName: 'Ada' });
      const bo = await ws.join(session.code, { displayName: 'Bo' });
      const cy = await ws.join(session.code, { displayName: 'Cy' });
      return { session, ada, bo, cy };
    },
  };
  return kit;
}
