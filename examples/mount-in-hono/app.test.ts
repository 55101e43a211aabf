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

test('the page is served at /warmshower/, with relative URLs so its assets and API calls stay under the mount', async () => {
  const app = createTeamApp();
  const bare = await app.request('/warmshower');
  expect(bare.status).toBe(301);
  expect(bare.headers.get('location')).toBe('/warmshower/');
  const page = await app.request('/warmshower/');
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<script type="module" src="main.js"></script>');
  expect(html).not.toMatch(/(src|href)="\//);
  expect((await app.request('/warmshower/main.js')).status).toBe(200);
  const info = (await (await app.request('http://team.example/warmshower/api/info')).json()) as { joinUrl: string };
  expect(info.joinUrl).toBe('http://team.example/warmshower/');
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
