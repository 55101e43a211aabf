// One rule for every suite that needs something from the machine (a Redis, a browser, binaries):
// skipped with the reason in its name on a laptop, a failure under CI=true.

import { describe, it } from 'vitest';

/** What a suite needs, and how to say it is missing. */
export interface Requirement {
  /** Whether the machine has it. */
  met: boolean;
  /** What the suite needs, e.g. `a Redis server at redis://127.0.0.1:6379`. */
  needs: string;
  /** What is missing, e.g. `no Redis answers at redis://127.0.0.1:6379`. */
  missing: string;
  /** How to get it, e.g. `start one or set REDIS_URL`. */
  fix: string;
}

/**
 * A suite that runs only where `requirement` is met. Elsewhere it is skipped with the reason in its
 * name, except under CI=true, where the missing piece fails the run instead of hiding the suite.
 */
export function describeIf(requirement: Requirement, title: string, body: () => void): void {
  if (requirement.met) describe(title, body);
  else if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs ${requirement.needs}`, () => {
        throw new Error(`${capitalized(requirement.missing)}, and CI=true: suites that need ${requirement.needs} must run (${requirement.fix}).`);
      });
    });
  } else describe.skip(`${title} (skipped: ${requirement.missing}; ${requirement.fix})`, body);
}

function capitalized(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
