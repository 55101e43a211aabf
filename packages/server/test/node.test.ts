import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/node/index.js';
import { client, openStream } from './helpers.js';

describe('startServer', () => {
  it('serves the page at / and the API beside it, and close() ends open streams and stops listening', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warmshower-page-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Warm Shower</title>');
    const server = await startServer({ port: 0, host: '127.0.0.1', staticRoot: root, logger: false });
    expect(server.store).toBe('memory');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(`${server.url}/?code=123456`)).text()).toContain('Warm Shower');
    const api = client(server.url);
    const session = await api.session();
    const ada = await api.join(session.code, 'Ada');
    const stream = await openStream(`${server.url}/api/sessions/${session.code}/events`, { authorization: `Bearer ${ada.token}` });
    await stream.next('ready');
    await server.close();
    await stream.waitEnd();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const first = await startServer({ port: 0, host: '127.0.0.1', logger: false });
    try {
      await expect(startServer({ port: first.port, host: '127.0.0.1', logger: false })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });

  it('over real HTTP, a body over 16 KiB is a 413 (declared or streamed) and bad JSON a 400', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', logger: false });
    try {
      const big = JSON.stringify({ ttlSeconds: 60, padding: 'x'.repeat(17 * 1024) });
      const declared = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
      const chunks = [big.slice(0, 9000), big.slice(9000)];
      const streamed = await fetch(`${server.url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          pull(controller) {
            const next = chunks.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(next));
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      const bad = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ttlSeconds": 6' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      const fine = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ttlSeconds: 60, note: 'é'.repeat(8000) }) });
      expect(fine.status).toBe(201);
      expect(((await fine.json()) as { ttlSeconds: number }).ttlSeconds).toBe(60);
    } finally {
      await server.close();
    }
  });
});
