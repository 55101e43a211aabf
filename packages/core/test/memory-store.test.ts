import { MemoryStore } from '../src/index.js';
import { runStoreContract } from '../src/testing/index.js';

runStoreContract('MemoryStore', ({ clock }) => new MemoryStore({ clock }));
