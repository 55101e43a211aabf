import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const core = fileURLToPath(new URL('..', import.meta.url));

/** The modules Node has loaded after requiring `entry` of the built package, as its users would. */
const loadedBy = (entry: string): string[] =>
  JSON.parse(
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)))`], {
      cwd: core,
      encoding: 'utf8',
    }),
  ) as string[];

describe('the entries of @warmshower/core load only what they need', () => {
  it('the root entry leaves ioredis unloaded', () => {
    const loaded = loadedBy('@warmshower/core');
    expect(loaded.some((path) => path.includes('/dist/index.cjs'))).toBe(true);
    expect(loaded.filter((path) => /[/\\]ioredis[/\\]/.test(path))).toEqual([]);
  });

  it('the protocol entry loads nothing but itself: safe to bundle into a page', () => {
    const loaded = loadedBy('@warmshower/core/protocol');
    expect(loaded.filter((path) => !path.includes('/dist/protocol.cjs'))).toEqual([]);
  });

  it('the redis entry is where ioredis comes in', () => {
    expect(loadedBy('@warmshower/core/redis').some((path) => /[/\\]ioredis[/\\]/.test(path))).toBe(true);
  });
});
