import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { freePort, Running } from './helpers.js';

const run = promisify(execFile);
const packages = fileURLToPath(new URL('../..', import.meta.url));
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// What a user of `npx warmshower serve` gets: the four packages as published, nothing from the workspace.
test('the packed packages install into an empty folder and `npx warmshower serve` answers /healthz', async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmshower-pack-'));
  const app = join(dir, 'app');
  // pnpm pack rewrites the `workspace:` ranges into versions.
  await Promise.all(
    ['core', 'server', 'web', 'cli'].map((name) =>
      run('pnpm', ['pack', '--pack-destination', dir!], { cwd: join(packages, name) }),
    ),
  );
  const tarballs = (await readdir(dir)).filter((file) => file.endsWith('.tgz')).map((file) => join(dir!, file));
  expect(tarballs).toHaveLength(4);
  await run('mkdir', [app]);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], {
    cwd: app,
  });

  const help = await run('npx', ['--no-install', 'warmshower', '--help'], { cwd: app });
  expect(help.stdout).toContain('warmshower serve');

  const port = await freePort();
  // Its own process group, so that stopping npx stops the server it started.
  const server = new Running(
    spawn('npx', ['--no-install', 'warmshower', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  try {
    await server.until((s) => s.stdout.includes('listening on'), 'the packed serve to start', 20_000);
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
}, 120_000);
