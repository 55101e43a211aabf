import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { printedPort, Running } from './helpers.js';

const run = promisify(execFile);
const packages = fileURLToPath(new URL('../..', import.meta.url));
const workspace = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string | undefined;
let app: string;

// What a user of `npx warmshower serve` gets: the five packages as published, nothing from the workspace.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmshower-pack-'));
  app = join(dir, 'app');
  // pnpm pack rewrites the `workspace:` ranges into versions.
  await Promise.all(
    ['core', 'client', 'server', 'web', 'cli'].map((name) =>
      run('pnpm', ['pack', '--pack-destination', dir!], { cwd: join(packages, name) }),
    ),
  );
  const tarballs = (await readdir(dir)).filter((file) => file.endsWith('.tgz')).map((file) => join(dir!, file));
  expect(tarballs).toHaveLength(5);
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], {
    cwd: app,
  });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the packed packages install into an empty folder and `npx warmshower serve` answers /healthz', async () => {
  const help = await run('npx', ['--no-install', 'warmshower', '--help'], { cwd: app });
  expect(help.stdout).toContain('warmshower serve');

  // Its own process group, so that stopping npx stops the server it started; port 0, as it printed.
  const server = new Running(
    spawn('npx', ['--no-install', 'warmshower', 'serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  try {
    await server.until((s) => s.stdout.includes('listening on'), 'the packed serve to start', 20_000);
    const port = printedPort(server.stdout);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const created = await run('npx', ['--no-install', 'warmshower', 'create', '--json', '--server', `http://127.0.0.1:${port}`], {
      cwd: app,
    });
    expect(JSON.parse(created.stdout).code).toMatch(/^\d{6}$/);
  } finally {
    process.kill(-server.child.pid!, 'SIGTERM');
    await server.exited;
  }
}, 60_000);

// The package's types must stand alone: no @types/yargs in a consumer, and every .d.ts checked.
test('a TypeScript consumer of the packed `warmshower` compiles with skipLibCheck false, without @types/yargs', async () => {
  await writeFile(
    join(app, 'consumer.ts'),
    [
      "import { exitCodes, isSessionGone, run, WarmshowerClient, type StreamEvent } from 'warmshower';",
      '',
      "const exitCode: number = await run(['--version']);",
      "const client = new WarmshowerClient({ baseUrl: 'http://localhost:3000' });",
      "const describe = (event: StreamEvent): string => (event.event === 'message' ? event.data.receivedAt : event.event);",
      'export const facts = [exitCode === exitCodes.ok, isSessionGone(null), client.baseUrl, describe];',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(workspace, 'node_modules/@types')],
      },
      files: ['consumer.ts'],
    }),
  );
  const installed = await readdir(join(app, 'node_modules'));
  expect(installed).not.toContain('@types');
  const tsc = join(workspace, 'node_modules/typescript/bin/tsc');
  const checked = await run(process.execPath, [tsc, '-p', app], { cwd: app }).catch((error: { stdout: string }) => error);
  expect(checked.stdout).toBe('');
}, 60_000);
