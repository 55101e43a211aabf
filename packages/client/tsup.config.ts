import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: { index: 'src/index.ts', e2e: 'src/e2e/index.ts' },
  sourcemap: true,
  // Browsers and Node 20 alike: the page bundles the ESM build with esbuild.
  target: 'es2022',
  platform: 'neutral',
};

export default defineConfig([
  { ...shared, format: ['esm'], dts: true, clean: true },
  // eventsource-parser 4 is ESM only, which `require` cannot load before Node 20.19: the CommonJS
  // build carries its own copy (a few KB). @warmshower/core ships CommonJS and stays external.
  { ...shared, format: ['cjs'], noExternal: ['eventsource-parser'] },
]);
