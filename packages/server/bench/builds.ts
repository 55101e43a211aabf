/**
 * The built servers a bench runs: this checkout's (what `warmshower serve` runs) and, for a paired
 * A/B of two builds, another checkout's (BENCH_AGAINST). A missing build ends the bench with a
 * sentence saying what to run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exits unless this checkout's server is built. */
export function requireBuilt(bench: string): void {
  if (existsSync(fileURLToPath(new URL('../dist/node.js', import.meta.url)))) return;
  console.error(`${bench}: the server is not built; run \`pnpm build\` first (the bench runs what \`warmshower serve\` runs).`);
  process.exit(1);
}

/** BENCH_AGAINST's built server entry, if one is asked for; exits when that checkout is not built. */
export function againstBuild(bench: string): URL | undefined {
  if (!process.env.BENCH_AGAINST) return undefined;
  const entry = new URL(`file://${path.resolve(process.env.BENCH_AGAINST)}/packages/server/dist/node.js`);
  if (existsSync(entry)) return entry;
  console.error(`${bench}: BENCH_AGAINST has no built server at ${fileURLToPath(entry)}; run \`pnpm install\` there first.`);
  process.exit(1);
}
