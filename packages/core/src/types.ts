export type * from './protocol/types.js';
