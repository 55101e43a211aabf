// The page uses core's reply and event shapes as types only (erased from the bundle), so it
// depends on core at compile time without shipping any of it.
export type * from '../../core/src/types.js';
export type { ErrorCode } from '../../core/src/errors.js';
