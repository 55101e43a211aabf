import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/node.js';
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
});
