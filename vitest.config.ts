import { defineConfig } from 'vitest/config';

// One `pnpm test` runs every package's suite; each package keeps its own config.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
  },
});
