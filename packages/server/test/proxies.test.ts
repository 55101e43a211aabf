import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/node/index.js';

/**
 * The headers the server README's nginx and Caddy snippets send (nginx: `Host $host`,
 * `X-Forwarded-For $proxy_add_x_forwarded_for`, `X-Forwarded-Proto $scheme`; Caddy sets the same
 * by itself), for a browser on https://shower.example.org behind a proxy on this machine.
 */
const proxied = {
  host: 'shower.example.org',
  'x-forwarded-for': '203.0.113.9',
  'x-forwarded-proto': 'https',
  origin: 'https://shower.example.org',
  'content-type': 'application/json',
};

describe('behind a reverse proxy on this machine, as the README configures it', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      trustProxy: 'loopback',
      publicUrl: 'https://shower.example.org',
      rateLimits: { missesPerMinute: 2 },
    });
  });
  afterAll(() => server.close());

  it('the page on the public URL may post, gets Secure cookies and join links on the public URL', async () => {
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: proxied, body: '{}' });
    expect(created.status).toBe(201);
    expect(created.headers.get('set-cookie')).toMatch(/; Secure/);
    const { code } = (await created.json()) as { code: string };
    const joined = await fetch(`${server.url}/api/sessions/${code}/participants`, { method: 'POST', headers: proxied, body: '{}' });
    expect(joined.status).toBe(201);
    const info = (await (await fetch(`${server.url}/api/info`, { headers: proxied })).json()) as { joinUrl: string };
    expect(info.joinUrl).toBe('https://shower.example.org/');
  });

  it('each person behind the proxy has their own miss limit, counted by the address the proxy saw', async () => {
    const miss = (address: string) =>
      fetch(`${server.url}/api/sessions/000404/participants`, { method: 'POST', headers: { ...proxied, 'x-forwarded-for': address }, body: '{}' });
    expect((await miss('198.51.100.1')).status).toBe(404);
    expect((await miss('198.51.100.1')).status).toBe(404);
    expect((await miss('198.51.100.1')).status).toBe(429);
    expect((await miss('198.51.100.2')).status).toBe(404);
  });
});
