import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../store.js';
import { Warmshower, type Connection } from '../warmshower.js';
import { basics } from './contract/basics.js';
import { bounds } from './contract/bounds.js';
import { finale } from './contract/finale.js';
import { makeKit } from './contract/kit.js';
import { streams } from './contract/streams.js';
import { ManualClock } from './manual-clock.js';

export interface StoreContractContext {
  /** The clock core uses in the suite; a store that keeps timers of its own should use it too. */
  clock: ManualClock;
}

export interface StoreContractOptions {
  /**
   * Tests this store cannot pass, by exact name, with the reason: each is reported as skipped with
   * the reason in its name, never silently dropped.
   */
  skip?: Record<string, string>;
}

/**
 * The behaviour every Store must show, as a vitest suite. Call it at the top level of a test file:
 *
 * ```ts
 * import { runStoreContract } from '@warmshower/core/testing';
 * runStoreContract('MyStore', () => new MyStore());
 * ```
 *
 * The suite drives the store through `Warmshower` (the rules) and checks what a user would see:
 * answers, errors, live events, expiry and deletion, reveal, thanks, bounds and end-to-end
 * sessions. Each test gets a fresh store; `close()` is called after it.
 */
export function runStoreContract(
  name: string,
  makeStore: (context: StoreContractContext) => Store | Promise<Store>,
  options: StoreContractOptions = {},
): void {
  describe(`${name} keeps the Store contract`, () => {
    let current: { store: Store; clock: ManualClock; ws: Warmshower; connections: Connection[] };

    beforeEach(async () => {
      const clock = new ManualClock(Date.now());
      const store = await makeStore({ clock });
      current = { store, clock, ws: new Warmshower({ store, clock }), connections: [] };
    });

    afterEach(async () => {
      for (const c of current.connections) await c.close();
      await current.store.close();
    });

    const kit = makeKit(() => current, options.skip ?? {});
    basics(kit);
    streams(kit);
    finale(kit);
    bounds(kit);
  });
}
