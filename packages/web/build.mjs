// Builds the page into dist/: one minified bundle (ES2020) with its sourcemap, a tiny theme script
// that runs before first paint, the HTML and the stylesheet. No network at run time: all local.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const dist = here('./dist/');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = { bundle: true, platform: 'browser', target: 'es2020', minify: true, sourcemap: true, legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: [here('./src/main.ts')], outfile: `${dist}main.js`, format: 'esm' });
await build({ ...common, entryPoints: [here('./src/theme-init.ts')], outfile: `${dist}theme-init.js`, format: 'iife' });
await build({ entryPoints: [here('./src/styles.css')], outfile: `${dist}styles.css`, minify: true, bundle: true, logLevel: 'warning' });
copyFileSync(here('./src/index.html'), `${dist}index.html`);
console.log(`web: built ${dist}`);
