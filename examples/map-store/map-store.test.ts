import { runStoreContract } from '@warmshower/core/testing';
import { MapStore } from './map-store.js';

runStoreContract('MapStore', () => new MapStore());
