import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

it('bundles for a browser with no Node module: no node: import, no zod, no Buffer', async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020', // the page's target (packages/web/build.mjs)
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
  expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
  expect(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]!]!.imports).toEqual([]);
  // Only the protocol entry of core, never its root (zod, node:crypto).
  expect(inputs.some((path) => /core\/dist\/protocol\.js$/.test(path))).toBe(true);
  expect(inputs.filter((path) => /zod|core\/dist\/index/.test(path))).toEqual([]);
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/\bnode:/);
  expect(code).not.toMatch(/\bBuffer\b|\bprocess\./);
});
