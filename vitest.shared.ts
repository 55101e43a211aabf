import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * In-process tests import workspace packages from their sources, so a change in core is seen by
 * the server's tests without a rebuild. Child processes (the CLI, `serve`) run the built files.
 */
export const workspaceAliases = {
  '@warmshower/core/testing': src('core/src/testing/index.ts'),
  '@warmshower/core/redis': src('core/src/redis/index.ts'),
  '@warmshower/core/protocol': src('core/src/protocol/index.ts'),
  '@warmshower/core': src('core/src/index.ts'),
  '@warmshower/server/node': src('server/src/node/index.ts'),
  '@warmshower/server': src('server/src/index.ts'),
  '@warmshower/client/e2e': src('client/src/e2e/index.ts'),
  '@warmshower/client': src('client/src/index.ts'),
};

/** Imports `.lua` files as strings, as tsup's text loader does for the build. */
export const luaAsText = {
  name: 'warmshower-lua-as-text',
  transform(code: string, id: string) {
    if (id.endsWith('.lua')) return { code: `export default ${JSON.stringify(code)};`, map: null };
    return undefined;
  },
};
