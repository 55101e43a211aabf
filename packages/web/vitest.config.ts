import { defineProject } from 'vitest/config';
import { luaAsText, workspaceAliases } from '../../vitest.shared.js';

export default defineProject({
  plugins: [luaAsText],
  resolve: { alias: workspaceAliases },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One Chromium at a time: the browser suites share two cores with the rest of `pnpm test`.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
