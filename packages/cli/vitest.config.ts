import { defineProject } from 'vitest/config';
import { luaAsText, workspaceAliases } from '../../vitest.shared.js';

export default defineProject({
  plugins: [luaAsText],
  resolve: { alias: workspaceAliases },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    // The CLI and `serve` run as child processes from their builds (checked once here).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
