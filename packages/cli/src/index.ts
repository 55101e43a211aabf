/**
 * The `warmshower` package: the CLI (`npx warmshower`), and for Node scripts and bots the API
 * client and the live listener that the CLI is made of.
 */
export { WarmshowerClient } from './client.js';
export type { ClientOptions } from './client.js';
export { listenToSession } from './listen.js';
export type { ListenOptions, Listening } from './listen.js';
export { ApiError, CliError, exitCodeFor, exitCodes } from './exit-codes.js';
export { buildCli } from './cli.js';
