/**
 * Waits until `check` holds — it returns something other than `false` and does not throw (an
 * assertion that passes) — or throws its last error after `ms`: facts travel through Redis
 * pub/sub and processes, so they arrive a moment later. `what` names the wait in the error.
 */
export async function eventually(check: () => unknown, ms = 5000, what?: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    let failure: unknown;
    try {
      if ((await check()) !== false) return;
      failure = new Error(`timed out after ${ms} ms waiting for ${what ?? 'a condition'}`);
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw failure;
    await new Promise((r) => setTimeout(r, 20));
  }
}
