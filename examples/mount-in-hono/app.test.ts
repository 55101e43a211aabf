import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createTeamApp } from './app.js';

test('Warm Shower answers under /warmshower beside the host app’s own routes', async () => {
  const app = createTeamApp();
  expect(await (await app.request('/')).text()).toContain('Team portal');
  const created = await app.request('/warmshower/api/sessions', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(created.status).toBe(201);
  const { code, hostToken } = (await created.json()) as { code: string; hostToken: string };
  // The stream cookie is scoped to the mounted path.
  expect(created.headers.get('set-cookie')).toContain(`Path=/warmshower/api/sessions/${code}/events`);
  const joined = await app.request(`/warmshower/api/sessions/${code}/participants`, {
    method: 'POST',
    body: JSON.stringify({ displayName: 'Ada' }),
    headers: { 'content-type': 'application/json' },
  });
  expect(joined.status).toBe(201);
  const status = await app.request(`/warmshower/api/sessions/${code}`, { headers: { authorization: `Bearer ${hostToken}` } });
  expect(await status.json()).toMatchObject({ code, participantCount: 1, progress: { sent: 0, possible: 0 } });
  expect((await app.request('/api/sessions', { method: 'POST' })).status).toBe(404);
});

test('main.ts runs the mounted app on Node', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Team portal on') && resolve());
      child.on('exit', (code) => reject(new Error(`main.ts exited with ${code}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/warmshower/healthz`);
    expect(health.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
}, 20_000);
