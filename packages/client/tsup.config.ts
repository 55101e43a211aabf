import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    e2e: 'src/e2e/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
