import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the page before the browser tests when dist/ is missing or older than what goes into it:
 * its sources, and the built client and protocol it bundles.
 */
export default function setup(): void {
  const built = `${web}dist/main.js`;
  const bundled = ['../client/dist/index.js', '../client/dist/e2e.js', '../core/dist/protocol.js'].map((path) => `${web}${path}`).filter(existsSync);
  const sources = [`${web}build.mjs`, ...readdirSync(`${web}src`).map((name) => `${web}src/${name}`), ...bundled];
  const newest = Math.max(...sources.map((path) => statSync(path).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newest && existsSync(`${web}dist/index.html`)) return;
  execFileSync(process.execPath, ['build.mjs'], { cwd: web, stdio: 'inherit' });
}
