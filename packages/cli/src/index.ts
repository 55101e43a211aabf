/**
 * The `warmshower` package: the CLI (`npx warmshower`), `run(args)` to call it from Node, and
 * the client it is made of (`@warmshower/client`, re-exported whole) for scripts and bots.
 */
export { run } from './run.js';
export { exitCodeFor, exitCodes } from './exit-codes.js';
export * from '@warmshower/client';
