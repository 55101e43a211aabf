import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MemoryStore } from '../src/index.js';
import { ManualClock } from '../src/testing/index.js';
import { operations } from './model.js';
import { playAgainstModel } from './model-play.js';

describe('the memory store follows the model of the rules', () => {
  it('gives the same answers and errors as the model for random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(operations, async (ops) => {
        const clock = new ManualClock();
        const store = new MemoryStore({ clock });
        try {
          await playAgainstModel(store, clock, ops);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
