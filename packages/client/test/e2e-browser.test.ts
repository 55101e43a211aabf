// The page bundles this entry with esbuild for browsers (packages/web/build.mjs: ES2020, ESM).
// Bundled the same way, it must not lean on Node: no node: imports, no Buffer, nothing left
// to load at run time but the library's guarded fallback for Node 18.
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspaceAliases } from '../../../vitest.shared.js';

const entry = fileURLToPath(new URL('../src/e2e/index.ts', import.meta.url));
// Paths in the metafile are relative to this: the repository root, whichever folder runs the test.
const root = fileURLToPath(new URL('../../../', import.meta.url));

// Workspace packages from their sources, as the other in-process tests see them.
const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@warmshower\// }, ({ path }) => {
      const source = workspaceAliases[path as keyof typeof workspaceAliases];
      return source === undefined ? undefined : { path: source };
    });
  },
};

let code: string;
let metafile: Metafile;
let warnings: string[];

beforeAll(async () => {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [workspaceSources],
  });
  code = result.outputFiles[0]!.text;
  metafile = result.metafile;
  warnings = result.warnings.map((warning) => warning.text);
});

describe('the e2e entry bundled for a browser', () => {
  it('builds without a warning', () => {
    expect(warnings).toEqual([]);
  });

  it('imports nothing from Node and never uses Buffer', () => {
    expect(code).not.toMatch(/["'`]node:/);
    expect(code).not.toMatch(/(?<![\w$])Buffer(?![\w$])/);
    expect(code).not.toMatch(/(?<![\w$.])require\(/);
  });

  // @hpke/common reaches for import("crypto") only where globalThis.crypto is missing (Node 18).
  it('leaves nothing to load at run time but @hpke\'s fallback import("crypto") for Node 18', () => {
    const output = Object.values(metafile.outputs)[0]!;
    const external = output.imports.filter((imported) => imported.external);
    expect(external.every((imported) => imported.kind === 'dynamic-import' && imported.path === 'crypto')).toBe(true);
  });

  it('takes only the import-free protocol part of core (no zod, no node:crypto)', () => {
    const inputs = Object.keys(metafile.inputs);
    const fromCore = inputs.filter((input) => input.includes('packages/core/'));
    expect(fromCore.length).toBeGreaterThan(0);
    expect(fromCore.every((input) => input.includes('packages/core/src/protocol/'))).toBe(true);
    expect(inputs.some((input) => input.includes('zod'))).toBe(false);
  });

  it('stays small: under 60 kB minified', () => {
    expect(code.length).toBeLessThan(60_000);
  });
});
