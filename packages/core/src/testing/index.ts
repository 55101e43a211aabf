export { ManualClock } from './manual-clock.js';
export { runStoreContract } from './contract.js';
export type { StoreContractContext, StoreContractOptions } from './contract.js';
