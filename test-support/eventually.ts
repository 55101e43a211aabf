/**
 * Waits until `check` stops throwing (an assertion that holds), or throws its last error after
 * `ms`: facts travel through Redis pub/sub and processes, so they arrive a moment later.
 */
export async function eventually(check: () => void | Promise<void>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
