// Temporary: the Redis store is being written (issue 2); this keeps the package building meanwhile.
export interface RedisStoreOptions {
  url?: string;
  prefix?: string;
}

export class RedisStore {
  constructor(_options: RedisStoreOptions = {}) {
    throw new Error('RedisStore is not implemented yet.');
  }
}
