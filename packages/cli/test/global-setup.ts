import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = fileURLToPath(new URL('../..', import.meta.url));

const newest = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );

/**
 * The tests run the built CLI and server as child processes. `pnpm install` builds every package;
 * here we only check that the builds exist, and rebuild the CLI when its sources are newer.
 */
export default function setup(): void {
  const missing = ['core/dist/index.js', 'server/dist/node.js', 'web/dist/index.html', 'cli/dist/bin.js'].filter(
    (file) => !existsSync(join(packages, file)),
  );
  if (missing.length > 0) {
    throw new Error(`Build the workspace first ("pnpm -r build"); missing: ${missing.join(', ')}.`);
  }
  if (newest(join(packages, 'cli/src')) > statSync(join(packages, 'cli/dist/bin.js')).mtimeMs) {
    execFileSync('pnpm', ['--filter', 'warmshower', 'build'], { cwd: packages, stdio: 'ignore' });
  }
}
