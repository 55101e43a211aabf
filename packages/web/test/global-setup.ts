import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));

/** Builds the page before the browser tests when dist/ is missing or older than its sources. */
export default function setup(): void {
  const built = `${web}dist/main.js`;
  const sources = [`${web}build.mjs`, ...readdirSync(`${web}src`).map((name) => `${web}src/${name}`)];
  const newest = Math.max(...sources.map((path) => statSync(path).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newest && existsSync(`${web}dist/index.html`)) return;
  execFileSync(process.execPath, ['build.mjs'], { cwd: web, stdio: 'inherit' });
}
