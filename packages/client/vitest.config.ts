import { defineProject } from 'vitest/config';
import { luaAsText, workspaceAliases } from '../../vitest.shared.js';

export default defineProject({
  plugins: [luaAsText],
  resolve: { alias: workspaceAliases },
  test: {
    name: 'client',
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
